import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs units of work in transactions, one at a time per SQLite database.
 *
 * TypeORM's better-sqlite3 driver shares one connection and one query runner across all
 * callers, so two overlapping `dataSource.transaction()` calls would nest as savepoints and
 * one request's COMMIT or ROLLBACK would swallow another's writes. Queuing them here keeps
 * every acknowledged write in a transaction of its own.
 */
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') {
      return this.dataSource.transaction(work);
    }
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
