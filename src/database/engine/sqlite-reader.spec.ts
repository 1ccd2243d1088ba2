import { ACTIVITY_SCHEMA } from '../../activity/activity.schema';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { makeTempDir } from '../../../test/support/temp-dir';
import { buildDataSourceOptions } from '../data-source-options';
import { SqliteReader } from './sqlite-reader';
import { TransactionRunner } from './transaction-runner';

describe(SqliteReader.name, () => {
  const dir = makeTempDir();
  let dataSource: DataSource;
  let runner: TransactionRunner;
  let sut: SqliteReader;
  const ROWS = 10_000;

  beforeAll(async () => {
    dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_SCHEMA, { database: join(dir.path, 'reader.db') }));
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT)');
    await dataSource.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) INSERT INTO r (id, v) SELECT i, 'row' FROM n`,
    );
    runner = new TransactionRunner(dataSource);
    sut = new SqliteReader(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    dir.remove();
  });

  it('streams every row while the app connection keeps writing, giving the event loop turns', async () => {
    expect(sut.available).toBe(true);
    let seen = 0;
    let turns = 0;
    const writes: Array<Promise<unknown>> = [];
    const ticker = setInterval(() => (turns += 1), 0);
    await sut.each<{ id: number }>('SELECT id FROM r ORDER BY id', [], (row) => {
      seen += 1;
      expect(row.id).toBe(seen);
      // Writes during the read go through group commit on the app's connection: they must not
      // meet a "connection is busy" error, and the read must not see them (its snapshot is older).
      if (seen % 2500 === 0)
        writes.push(runner.run((manager) => manager.query('INSERT INTO r (id, v) VALUES (?, ?)', [ROWS + seen, 'new'])));
    });
    clearInterval(ticker);
    await Promise.all(writes);
    expect(seen).toBe(ROWS);
    expect(turns).toBeGreaterThan(0);
    const [{ n }] = await dataSource.query("SELECT COUNT(*) AS n FROM r WHERE v = 'new'");
    expect(n).toBe(4);
  });

  it('ends the read when the visitor throws, and reads again after', async () => {
    await expect(
      sut.each('SELECT id FROM r', [], () => {
        throw new Error('visitor failed');
      }),
    ).rejects.toThrow('visitor failed');
    let count = 0;
    await sut.each('SELECT id FROM r WHERE id <= 3', [], () => (count += 1));
    expect(count).toBe(3);
    // A checkpoint can reach the end of the WAL: no read was left holding an old snapshot.
    const [result] = await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(result.busy).toBe(0);
  });

  it('is not available for an in-memory database', () => {
    const memory = new DataSource(buildDataSourceOptions(ACTIVITY_SCHEMA, { database: ':memory:' }));
    expect(new SqliteReader(memory).available).toBe(false);
  });
});
