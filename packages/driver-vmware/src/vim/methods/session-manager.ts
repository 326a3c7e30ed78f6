import type { ManagedObjectReference, UserSession } from '../types.js';
import type { VimConnection } from '../vim-connection.js';
import { child, childText, el } from '../xml.js';

/** `SessionManager.Login`: starts a session; the connection keeps the cookie it sets. */
export async function login(
  conn: VimConnection,
  sessionManager: ManagedObjectReference,
  userName: string,
  password: string,
  locale?: string,
): Promise<UserSession> {
  const res = await conn.invoke('Login', sessionManager, [
    el('userName', userName),
    el('password', password),
    el('locale', locale),
  ]);
  const rv = child(res, 'returnval');
  return {
    key: (rv && childText(rv, 'key')) ?? '',
    userName: (rv && childText(rv, 'userName')) ?? userName,
    fullName: rv && childText(rv, 'fullName'),
  };
}

/** `SessionManager.Logout`: ends the session; the cookie is refused afterwards. */
export async function logout(conn: VimConnection, sessionManager: ManagedObjectReference): Promise<void> {
  await conn.invoke('Logout', sessionManager);
  conn.clearSession();
}
