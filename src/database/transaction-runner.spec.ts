import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { makeTempDir } from '../../test/support/temp-dir';
import { ACTIVITY_DATA_SOURCE } from './data-source-names';
import { buildDataSourceOptions } from './data-source-options';
import { TransactionRunner } from './transaction-runner';

describe(TransactionRunner.name, () => {
  const dir = makeTempDir();
  let dataSource: DataSource;
  let sut: TransactionRunner;

  beforeAll(async () => {
    dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_DATA_SOURCE, { database: join(dir.path, 'tx.db') }));
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    sut = new TransactionRunner(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    dir.remove();
  });

  it('keeps overlapping units of work apart: a failing one rolls back only its own writes', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        sut.run(async (manager) => {
          await manager.query('INSERT INTO t (id, v) VALUES (?, ?)', [i, 'first']);
          await new Promise((resolve) => setImmediate(resolve));
          await manager.query('UPDATE t SET v = ? WHERE id = ?', ['second', i]);
          if (i % 5 === 0) throw new Error(`unit ${i} fails`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    const rows: { id: number; v: string }[] = await dataSource.query('SELECT id, v FROM t ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 5 !== 0));
    expect(new Set(rows.map((r) => r.v))).toEqual(new Set(['second']));
  });
});
