import Database from 'better-sqlite3';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';

/** Rows read between two turns of the event loop: a few milliseconds of work. */
const ROWS_PER_TURN = 2000;

/**
 * Long reads (analytics over millions of rows) on a read-only connection of their own to a
 * SQLite file, streamed row by row with a turn of the event loop every few thousand rows.
 *
 * On the app's connection such a read could not pause: better-sqlite3 refuses every other
 * statement while a result is open, so the group commit would fail until the last row. Here the
 * writer carries on meanwhile (WAL mode: the read sees the database as it was when it began),
 * requests keep being answered, and memory holds one row at a time.
 *
 * Each read opens its own connection (a few hundred microseconds), so reads can overlap: one
 * connection serves one open result at a time.
 *
 * Only for file databases: elsewhere `available` is false and callers use the app's connection.
 */
export class SqliteReader {
  /** The file, resolved once: a later change of working directory cannot point reads elsewhere. */
  private readonly file: string;

  constructor(private readonly dataSource: DataSource) {
    const { database } = dataSource.options as { database?: unknown };
    this.file = typeof database === 'string' && database !== ':memory:' && database !== '' ? resolve(database) : '';
  }

  /** Whether the data source is a SQLite file that a second connection can open. */
  get available(): boolean {
    return this.dataSource.options.type === 'better-sqlite3' && this.file !== '';
  }

  /** Hands each row of `text` to `visit`, giving the event loop a turn every few thousand rows. */
  async each<T>(text: string, params: unknown[], visit: (row: T) => void): Promise<void> {
    const connection = new Database(this.file, { readonly: true, fileMustExist: true });
    let rows: IterableIterator<T> | undefined;
    try {
      rows = connection.prepare(text).iterate(...params) as IterableIterator<T>;
      let sinceTurn = 0;
      for (let next = rows.next(); !next.done; next = rows.next()) {
        visit(next.value);
        if (++sinceTurn === ROWS_PER_TURN) {
          sinceTurn = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      // Also ends an unfinished read (and its WAL snapshot) when `visit` or the statement threw.
      rows?.return?.();
      connection.close();
    }
  }
}
