import type { Database } from '../src/persistence/index.js';

/** The tables in a test database, sorted: what a migration left behind. */
export async function tableNames(db: Database): Promise<string[]> {
  const sql = {
    sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    postgres: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
    mariadb: 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
  }[db.engine];
  const rows: { name: string }[] = await db.dataSource.query(sql);
  return rows.map((r) => r.name).sort();
}
