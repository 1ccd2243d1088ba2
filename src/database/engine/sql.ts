import type Database from 'better-sqlite3';
import type { EntityManager } from 'typeorm';
import { sqliteConnection } from './typeorm-adapter';

type Statement = Database.Statement<unknown[], unknown>;

/** Prepared statements per SQLite connection, kept for its lifetime (the SQL texts are constants). */
const statements = new WeakMap<Database.Database, Map<string, Statement>>();

function sqliteHandle(manager: EntityManager): Database.Database | null {
  return sqliteConnection(manager.connection);
}

function prepared(db: Database.Database, text: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}

/** `?` placeholders as PostgreSQL's `$1, $2…` (the hot-path SQL holds no literal question marks). */
function positional(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * Raw SQL for the hot write path, on the connection (and so inside the transaction) of `manager`.
 *
 * TypeORM builds every query anew (metadata walks, alias escaping, parameter rewriting): that
 * was about 40% of the CPU of a tracked event. On SQLite these run as prepared statements kept
 * per connection and executed synchronously by better-sqlite3; elsewhere they go through
 * `manager.query`. Statements use `?` placeholders and only SQL that SQLite and PostgreSQL share.
 */
export const sql = {
  async all<T>(manager: EntityManager, text: string, params: unknown[]): Promise<T[]> {
    const db = sqliteHandle(manager);
    if (db) return prepared(db, text).all(...params) as T[];
    return manager.query(positional(text), params);
  },

  async one<T>(manager: EntityManager, text: string, params: unknown[]): Promise<T | null> {
    const db = sqliteHandle(manager);
    if (db) return (prepared(db, text).get(...params) as T | undefined) ?? null;
    const rows: T[] = await manager.query(positional(text), params);
    return rows[0] ?? null;
  },

  /**
   * Hands each row to `visit` as it is read, without collecting them: on SQLite rows stream from
   * the statement, so a result of millions of rows takes the memory of one. (`visit` must not run
   * other statements: the connection is busy until the last row.) Elsewhere the rows are fetched
   * together, then visited.
   */
  async each<T>(manager: EntityManager, text: string, params: unknown[], visit: (row: T) => void): Promise<void> {
    const db = sqliteHandle(manager);
    if (db) {
      for (const row of prepared(db, text).iterate(...params)) visit(row as T);
      return;
    }
    const rows: T[] = await manager.query(positional(text), params);
    for (const row of rows) visit(row);
  },

  /** Runs a statement that returns no rows; resolves to the number of rows it changed. */
  async run(manager: EntityManager, text: string, params: unknown[] = []): Promise<number> {
    const db = sqliteHandle(manager);
    if (db) return prepared(db, text).run(...params).changes;
    const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
    try {
      return (await runner.query(positional(text), params, true)).affected ?? 0;
    } finally {
      if (runner !== manager.queryRunner) await runner.release();
    }
  },
};
