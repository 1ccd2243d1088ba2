import { join } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { makeTempDir } from '../../../test/support/temp-dir';
import { sqliteConnection } from './typeorm-adapter';
import { TransactionRunner } from './transaction-runner';
import type { Db, Tx } from './tx';

describe('Transaction handles', () => {
  const dir = makeTempDir();
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: join(dir.path, 'tx.db') }).initialize();
    runner = new TransactionRunner(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    dir.remove();
  });

  it('a write takes only the handle of a transaction the runner began (checked by tsc, in `npm run lint`)', () => {
    const write = (tx: Tx): Tx => tx;
    const read = (db: Db): Db => db;
    const manager: EntityManager = dataSource.manager;
    // @ts-expect-error the data source's own manager is in no transaction of the runner's
    expect(() => write(manager)).not.toThrow();
    // @ts-expect-error a read handle is not a transaction either
    expect(() => write(runner.reads)).not.toThrow();
    // @ts-expect-error reads, too, name their handle: a bare manager is not one
    expect(() => read(manager)).not.toThrow();
    expect(read(runner.reads)).toBe(dataSource.manager);
  });

  it('the handle a unit of work gets is inside an open transaction; the read handle is not', async () => {
    const seen = await runner.run(async (tx) => {
      const readable: Db = tx; // a transaction's handle reads too
      return { inTransaction: sqliteConnection(dataSource)!.inTransaction, marked: tx.queryRunner?.isTransactionActive, readable };
    });
    expect(seen.inTransaction).toBe(true);
    expect(seen.marked).toBe(true);
    expect(sqliteConnection(dataSource)!.inTransaction).toBe(false);
    expect(runner.reads.queryRunner).toBeUndefined();
  });
});
