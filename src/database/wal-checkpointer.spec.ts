import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { makeTempDir } from '../../test/support/temp-dir';
import { waitFor } from '../../test/support/wait-for';
import { ACTIVITY_DATA_SOURCE } from './data-source-names';
import { buildDataSourceOptions } from './data-source-options';
import { WalCheckpointer } from './wal-checkpointer';

describe(WalCheckpointer.name, () => {
  const dir = makeTempDir();
  let dataSource: DataSource;
  let sut: WalCheckpointer;
  const file = join(dir.path, 'wal.db');
  const autocheckpoint = async () => ((await dataSource.query('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: number }>)[0].wal_autocheckpoint;
  const writeRows = async (from: number, count: number) => {
    await dataSource.transaction(async (manager) => {
      for (let i = from; i < from + count; i++) await manager.query('INSERT INTO t (id, v) VALUES (?, ?)', [i, 'x'.repeat(2000)]);
    });
  };

  beforeEach(async () => {
    dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_DATA_SOURCE, { database: file }));
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)');
    sut = new WalCheckpointer(dataSource, 20);
  });

  afterEach(async () => {
    await sut.stop();
    await dataSource.destroy();
  });

  afterAll(() => dir.remove());

  it('checkpoints from its own thread, the app connection only past its long threshold', async () => {
    sut.start();
    expect(await autocheckpoint()).toBe(10_000);
    const before = statSync(file).size;
    await writeRows(0, 3000); // ~6 MB: past SQLite's 1000-page threshold several times over
    // The rows reach the database file itself, copied there by the thread.
    await waitFor(async () => (statSync(file).size > before + 5_000_000 ? true : undefined), 5000, 'the checkpoint');
    const rows: Array<{ n: number }> = await dataSource.query('SELECT COUNT(*) AS n FROM t');
    expect(rows[0].n).toBe(3000);
  });

  it('keeps the WAL bounded under a steady stream of commits', async () => {
    sut = new WalCheckpointer(dataSource, 20, 500);
    sut.start();
    let largest = 0;
    for (let i = 0; i < 100; i++) {
      await writeRows(10_000 + i * 50, 50); // ~100 kB a commit, ~10 MB in all
      largest = Math.max(largest, statSync(`${file}-wal`).size);
    }
    // 500 pages of 4 kB, plus the commit that crosses the line.
    expect(largest).toBeLessThan(3_000_000);
  });

  it('hands checkpoints back to the connection when its thread dies', async () => {
    sut.start();
    expect(await autocheckpoint()).toBe(10_000);
    await (sut as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await waitFor(async () => ((await autocheckpoint()) === 1000 ? true : undefined), 5000, 'the fallback');
  });
});
