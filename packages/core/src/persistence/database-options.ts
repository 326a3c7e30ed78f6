import { BadRequest } from '../errors.js';

export type DatabaseEngine = 'sqlite' | 'postgres' | 'mariadb';

/** Where the cloud's one database lives. */
export interface DatabaseOptions {
  /**
   * `sqlite:PATH` (or `sqlite::memory:`), `postgres://user:pass@host:port/db`,
   * `mysql://…` or `mariadb://…`.
   */
  url: string;
  /** Log every SQL statement (debugging). */
  logging?: boolean;
  /** Connection pool size for PostgreSQL/MariaDB. */
  poolSize?: number;
}

export function engineOf(url: string): DatabaseEngine {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return 'mariadb';
  throw new BadRequest(`Unsupported database URL "${url}": use sqlite:PATH, postgres://… or mysql://…`);
}
