import type { ApiEndpoints } from '../../src/index.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** A tiny JSON client for the APIs under test. */
export async function call(url: string, init: { method?: string; token?: string; body?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['x-auth-token'] = init.token;
  let payload: BodyInit | undefined = init.raw;
  if (init.body !== undefined) {
    payload = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: payload });
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  return { status: res.status, headers: res.headers, body, text };
}

/** A project-scoped token by password. */
export async function issueToken(e: ApiEndpoints, user: string, password: string, project: string): Promise<{ token: string; body: any }> {
  const r = await call(`${e.identity}/v3/auth/tokens`, {
    method: 'POST',
    body: { auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } }, scope: { project: { name: project, domain: { id: 'default' } } } } },
  });
  if (r.status !== 201) throw new Error(`token issue failed: ${r.status} ${r.text}`);
  return { token: r.headers.get('x-subject-token')!, body: r.body };
}

/** Polls until `done` holds (servers reach ACTIVE asynchronously). */
export async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const stop = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > stop) throw new Error(`timed out; last: ${JSON.stringify(v)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
