import { ACTIVITY_SCHEMA } from '../../activity/activity.schema';
import { Logger } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { makeTempDir } from '../../../test/support/temp-dir';
import { waitFor } from '../../../test/support/wait-for';
import { buildDataSourceOptions } from '../data-source-options';
import { WalCheckpointer } from './wal-checkpointer';

describe(WalCheckpointer.name, () => {
  const dir = makeTempDir();
  let dataSource: DataSource;
  let sut: WalCheckpointer;
  const file = join(dir.path, 'wal.db');
  const autocheckpoint = async () =>
    ((await dataSource.query('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: number }>)[0].wal_autocheckpoint;
  const writeRows = async (from: number, count: number) => {
    await dataSource.transaction(async (manager) => {
      for (let i = from; i < from + count; i++) await manager.query('INSERT INTO t (id, v) VALUES (?, ?)', [i, 'x'.repeat(2000)]);
    });
  };

  beforeEach(async () => {
    dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_SCHEMA, { database: file }));
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)');
    sut = new WalCheckpointer(dataSource, { intervalMs: 20 });
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
    sut = new WalCheckpointer(dataSource, { intervalMs: 20, appCheckpointPages: 500 });
    sut.start();
    let largest = 0;
    for (let i = 0; i < 100; i++) {
      await writeRows(10_000 + i * 50, 50); // ~100 kB a commit, ~10 MB in all
      largest = Math.max(largest, statSync(`${file}-wal`).size);
    }
    // 500 pages of 4 kB, plus the commit that crosses the line.
    expect(largest).toBeLessThan(3_000_000);
  });

  it('hands checkpoints back to the connection when its thread dies, and starts it again after a backoff', async () => {
    sut = new WalCheckpointer(dataSource, { intervalMs: 20, restartDelayMs: 300 });
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    try {
      sut.start();
      expect(await autocheckpoint()).toBe(10_000);
      await (sut as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await waitFor(async () => ((await autocheckpoint()) === 1000 ? true : undefined), 5000, 'the fallback');
      expect(sut.restarts).toBe(0);
      expect(warnings.mock.calls.map(([message]) => message)).toEqual([
        expect.stringMatching(/WAL checkpoint thread ended \(.+\); commits checkpoint meanwhile, thread restarts in 300 ms$/),
      ]);
      // The new thread takes checkpoints over again, and they reach the file.
      await waitFor(async () => ((await autocheckpoint()) === 10_000 ? true : undefined), 5000, 'the restart');
      expect(sut.restarts).toBe(1);
      const before = statSync(file).size;
      await writeRows(20_000, 1000);
      await waitFor(async () => (statSync(file).size > before + 1_500_000 ? true : undefined), 5000, 'a checkpoint by the new thread');
    } finally {
      warnings.mockRestore();
    }
  });

  it('keeps a thread that cannot open the file coming back, with a growing wait, until it can', async () => {
    sut = new WalCheckpointer(dataSource, { intervalMs: 20, restartDelayMs: 100 });
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const aside = join(dir.path, 'aside');
    try {
      sut.start();
      // The file is away: a new thread's connection (fileMustExist) cannot open it and ends.
      renameSync(file, aside);
      await (sut as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await waitFor(async () => (sut.restarts >= 3 ? true : undefined), 5000, 'restarts');
      const delays = warnings.mock.calls.map(([message]) => Number(/restarts in (\d+) ms$/.exec(String(message))?.[1]));
      expect(delays.slice(0, 3)).toEqual([100, 200, 400]);
      expect(warnings.mock.calls.slice(1).map(([message]) => message)).toContainEqual(
        expect.stringContaining('unable to open database file'),
      );
      renameSync(aside, file);
      await waitFor(async () => ((await autocheckpoint()) === 10_000 ? true : undefined), 5000, 'a thread that stays');
    } finally {
      warnings.mockRestore();
      if (existsSync(aside)) renameSync(aside, file);
    }
  });
});

/** A real full disk: a tmpfs of a few MB, filled. Needs permission to mount (root in CI containers). */
const tmpfs = makeTempDir('engage-tmpfs-');
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', tmpfs.path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!mounted) console.warn('WalCheckpointer on a full disk: skipped, this process may not mount a tmpfs');

(mounted ? describe : describe.skip)(`${WalCheckpointer.name} on a full disk`, () => {
  afterAll(() => {
    execFileSync('umount', [tmpfs.path]);
    tmpfs.remove();
  });

  it('survives failing checkpoints: logs the burst once, and checkpoints again on the same thread once there is room', async () => {
    const file = join(tmpfs.path, 'full.db');
    const dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_SCHEMA, { database: file }));
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const sut = new WalCheckpointer(dataSource, { database: 'activity', intervalMs: 20 });
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const logs = jest.spyOn(Logger.prototype, 'log');
    const filler = join(tmpfs.path, 'filler');
    try {
      sut.start();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Leave room for ~1.5 MB: a 1 MB commit fits in the WAL, but not a second time in the file.
      const free = () => {
        const stats = statfsSync(tmpfs.path);
        return stats.bavail * stats.bsize;
      };
      writeFileSync(filler, Buffer.alloc(free() - 1_500_000));
      await dataSource.transaction(async (manager) => {
        for (let i = 0; i < 250; i++) await manager.query('INSERT INTO t (id, v) VALUES (?, ?)', [i, 'x'.repeat(4000)]);
      });
      await waitFor(async () => (sut.failures >= 5 ? true : undefined), 5000, 'failing checkpoints');
      const worker = (sut as unknown as { worker?: object }).worker;
      expect(worker).toBeDefined();
      const failureLines = warnings.mock.calls.map(([message]) => String(message)).filter((m) => m.includes('WAL checkpoint'));
      expect(failureLines).toEqual([
        expect.stringMatching(/^activity database: WAL checkpoint failed \(SQLITE_(FULL|IOERR\w*): .+\); retrying every 20 ms$/),
      ]);

      rmSync(filler);
      await waitFor(
        async () => (logs.mock.calls.some(([message]) => String(message).includes('WAL checkpoints work again')) ? true : undefined),
        5000,
        'recovery',
      );
      expect((sut as unknown as { worker?: object }).worker).toBe(worker);
      expect(sut.restarts).toBe(0);
      expect(logs.mock.calls.map(([message]) => String(message))).toContainEqual(
        expect.stringMatching(/^activity database: WAL checkpoints work again, after \d+ failed over \d+ s \(SQLITE_/),
      );
      // The rows reached the database file itself.
      expect(statSync(file).size).toBeGreaterThan(1_000_000);
      expect(((await dataSource.query('SELECT COUNT(*) AS n FROM t')) as Array<{ n: number }>)[0].n).toBe(250);
    } finally {
      warnings.mockRestore();
      logs.mockRestore();
      if (existsSync(filler)) rmSync(filler);
      await sut.stop();
      await dataSource.destroy();
    }
  });
});
