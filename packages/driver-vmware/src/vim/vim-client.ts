import { retrieveServiceContent } from './methods/service-instance.js';
import { login, logout } from './methods/session-manager.js';
import { waitForTask, type WaitForTaskOptions } from './methods/task.js';
import type { ManagedObjectReference, ServiceContent, TaskResult, UserSession } from './types.js';
import { VimConnection, type VimConnectionOptions } from './vim-connection.js';

/** Where and as whom to log in to vCenter or ESXi. */
export interface VimClientOptions extends VimConnectionOptions {
  username: string;
  password: string;
}

/**
 * A logged-in vim25 session: the connection, the `ServiceContent` it started from, and a
 * re-login hook so that an expired session (`NotAuthenticated`) is renewed transparently.
 * Methods themselves are the typed functions of `./methods/`, called with `client.conn`.
 */
export class VimClient {
  private constructor(
    readonly conn: VimConnection,
    readonly serviceContent: ServiceContent,
    private session: UserSession,
  ) {}

  /** Connects, reads the service content and logs in; throws `InvalidLoginFault` on bad credentials. */
  static async connect(options: VimClientOptions): Promise<VimClient> {
    const conn = new VimConnection(options);
    try {
      const content = await retrieveServiceContent(conn);
      const sessionManager = content.sessionManager;
      if (!sessionManager) throw new Error(`${options.url} has no SessionManager`);
      const session = await login(conn, sessionManager, options.username, options.password);
      const client = new VimClient(conn, content, session);
      conn.setRelogin(async () => {
        conn.clearSession();
        client.session = await login(conn, sessionManager, options.username, options.password);
      });
      return client;
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  /** The current session (its key changes when the client logs in again). */
  get userSession(): UserSession {
    return this.session;
  }

  get propertyCollector(): ManagedObjectReference {
    return this.serviceContent.propertyCollector;
  }

  get searchIndex(): ManagedObjectReference {
    return this.serviceContent.searchIndex;
  }

  /** Waits for a task started by a `*_Task` method. */
  waitForTask(task: ManagedObjectReference, options?: WaitForTaskOptions): Promise<TaskResult> {
    return waitForTask(this.conn, this.propertyCollector, task, options);
  }

  /** Logs out (best effort) and closes the connection. */
  async close(): Promise<void> {
    this.conn.setRelogin(undefined);
    try {
      if (this.serviceContent.sessionManager && this.conn.sessionCookie) {
        await logout(this.conn, this.serviceContent.sessionManager);
      }
    } finally {
      this.conn.close();
    }
  }
}
