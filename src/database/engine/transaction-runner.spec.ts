import { ACTIVITY_SCHEMA } from '../../activity/activity.schema';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { makeTempDir } from '../../../test/support/temp-dir';
import { buildDataSourceOptions } from '../data-source-options';
import { CommitBuffer } from './commit-buffer';
import { TransactionRunner } from './transaction-runner';
import { DatabaseBusyException } from '../../common/database-busy.exception';
import { StorageUnavailableException } from '../../common/storage-unavailable.exception';
import { DatabaseMonitor } from '../database-monitor';
import { sqliteConnection } from './typeorm-adapter';

describe(TransactionRunner.name, () => {
  const dir = makeTempDir();
  let dataSource: DataSource;
  let sut: TransactionRunner;

  beforeAll(async () => {
    dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_SCHEMA, { database: join(dir.path, 'tx.db') }));
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

  it('stores concurrent units exactly once in fewer transactions than units (group commit)', async () => {
    await dataSource.query('CREATE TABLE g (id INTEGER PRIMARY KEY)');
    const before = sut.transactions;
    await Promise.all(Array.from({ length: 100 }, (_, i) => sut.run((manager) => manager.query('INSERT INTO g (id) VALUES (?)', [i]))));
    const rows: { n: number }[] = await dataSource.query('SELECT COUNT(*) AS n FROM g');
    expect(rows[0].n).toBe(100);
    expect(sut.transactions - before).toBeLessThan(10);
  });

  it('splits heavy units over several transactions and gives the event loop a turn between them', async () => {
    await dataSource.query('CREATE TABLE w (id INTEGER PRIMARY KEY)');
    const before = sut.transactions;
    let heavyDone = 0;
    let turnAt = -1;
    // Ten units of 400 rows each: at most 1000 rows a transaction means at least four of them.
    const heavy = Array.from({ length: 10 }, (_, u) =>
      sut
        .run(async (manager) => {
          // Stands for a request arriving while the first transaction runs: it must be read
          // before the whole queue is done, not after.
          if (u === 0) setImmediate(() => (turnAt = heavyDone));
          for (let i = 0; i < 400; i++) await manager.query('INSERT INTO w (id) VALUES (?)', [u * 1000 + i]);
        }, 400)
        .then(() => (heavyDone += 1)),
    );
    await Promise.all(heavy);
    expect(sut.transactions - before).toBeGreaterThanOrEqual(4);
    expect(turnAt).toBeGreaterThanOrEqual(0);
    expect(turnAt).toBeLessThan(10);
    const rows: { n: number }[] = await dataSource.query('SELECT COUNT(*) AS n FROM w');
    expect(rows[0].n).toBe(4000);
  });

  it('waits for another process holding the write lock instead of failing with "database is locked"', async () => {
    await dataSource.query('CREATE TABLE x (id INTEGER PRIMARY KEY)');
    const driver = require.resolve('better-sqlite3');
    const script = `
      const db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(join(dir.path, 'tx.db'))});
      db.exec('BEGIN IMMEDIATE'); db.prepare('INSERT INTO x (id) VALUES (1)').run();
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
      db.exec('COMMIT'); db.close();
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Listened for at once: the event loop keeps turning while the lock is awaited, so the child
    // may well have exited before the unit is done.
    const exited = once(child, 'exit');
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    // Reads, then writes: a deferred transaction would take its snapshot before the other
    // process commits, and could then never get the write lock.
    const value = await sut.run(async (manager) => {
      const rows: Array<{ n: number }> = await manager.query('SELECT COUNT(*) AS n FROM x');
      await manager.query('INSERT INTO x (id) VALUES (?)', [2 + rows[0].n]);
      return rows[0].n;
    });
    await exited;
    expect(value).toBe(1);
    const rows: Array<{ id: number }> = await dataSource.query('SELECT id FROM x ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
  });

  /** A child process that takes the write lock and holds it for `holdMs`; resolves once it holds it. */
  const holdLock = async (table: string, holdMs: number) => {
    const driver = require.resolve('better-sqlite3');
    const script = `
      const db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(join(dir.path, 'tx.db'))});
      db.exec('BEGIN IMMEDIATE'); db.prepare('INSERT INTO ${table} (id) VALUES (1)').run();
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
      db.exec('COMMIT'); db.close();
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Wrapped: an async function returning the promise itself would wait for it.
    const exited = { promise: once(child, 'exit') };
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    return exited;
  };

  it('waits for a lock held for a second and a half without blocking the event loop for more than ~50 ms at a time', async () => {
    await dataSource.query('CREATE TABLE held_a (id INTEGER PRIMARY KEY)');
    const { promise: exited } = await holdLock('held_a', 1500);
    let last = Date.now();
    let longestStall = 0;
    const ticker = setInterval(() => {
      longestStall = Math.max(longestStall, Date.now() - last);
      last = Date.now();
    }, 10);
    try {
      await sut.run((manager) => manager.query('INSERT INTO held_a (id) VALUES (2)'));
    } finally {
      clearInterval(ticker);
    }
    await exited;
    expect(longestStall).toBeLessThan(150);
    expect(sut.busyRetries).toBeGreaterThan(0);
    const rows: Array<{ id: number }> = await dataSource.query('SELECT id FROM held_a ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('gives up with DatabaseBusyException (503) once busyWaitMs has passed, storing nothing, and works on after', async () => {
    await dataSource.query('CREATE TABLE held_b (id INTEGER PRIMARY KEY)');
    const impatient = new TransactionRunner(dataSource, { busyWaitMs: 300 });
    const { promise: exited } = await holdLock('held_b', 1500);
    const started = Date.now();
    await expect(impatient.run((manager) => manager.query('INSERT INTO held_b (id) VALUES (2)'))).rejects.toBeInstanceOf(
      DatabaseBusyException,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    await exited;
    await impatient.run((manager) => manager.query('INSERT INTO held_b (id) VALUES (3)'));
    const rows: Array<{ id: number }> = await dataSource.query('SELECT id FROM held_b ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
  });

  it('fails every unit of a group whose transaction met a full disk with StorageUnavailableException, stores none, and reports the burst until a commit', async () => {
    await dataSource.query('CREATE TABLE full_a (id INTEGER PRIMARY KEY, v TEXT)');
    const monitor = new DatabaseMonitor();
    const committed: number[] = [];
    monitor.listen({ committed: (_, units) => committed.push(units) });
    const runner = new TransactionRunner(dataSource, { database: 'activity', monitor });
    const connection = sqliteConnection(dataSource)!;
    // The file may not grow: a write needing a new page fails with SQLITE_FULL, as on a full disk.
    connection.pragma(`max_page_count = ${connection.pragma('page_count', { simple: true }) as number}`);
    try {
      // Queued together, so one group: units 0-4 fit in the table's page and succeed inside it,
      // unit 5 needs overflow pages, and SQLite rolls the whole transaction back.
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          runner.run((manager) => manager.query('INSERT INTO full_a (id, v) VALUES (?, ?)', [i, i === 5 ? 'x'.repeat(20_000) : 'x'])),
        ),
      );
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const error = (result as PromiseRejectedResult).reason as StorageUnavailableException;
        expect(error).toBeInstanceOf(StorageUnavailableException);
        expect([error.getStatus(), error.database, error.sqliteCode]).toEqual([503, 'activity', 'SQLITE_FULL']);
      }
      expect(monitor.failure('activity')).toMatchObject({ code: 'SQLITE_FULL', reason: 'database or disk is full', failures: 1 });
      expect(connection.inTransaction).toBe(false);
    } finally {
      connection.pragma('max_page_count = 4294967294');
    }
    expect(await dataSource.query('SELECT id FROM full_a')).toEqual([]);
    expect(committed).toEqual([]);
    // A transaction that only reads commits on a full disk too: it proves nothing, and ends nothing.
    await runner.run((manager) => manager.query('SELECT COUNT(*) FROM full_a'));
    expect(monitor.failure('activity')).toBeDefined();
    expect(committed).toEqual([]);
    await runner.run((manager) => manager.query('INSERT INTO full_a (id, v) VALUES (100, ?)', ['x'.repeat(20_000)]));
    expect(monitor.failure('activity')).toBeUndefined();
    expect(committed).toEqual([1]);
  });

  it('answers each unit only after the commit that holds it (another connection sees the row)', async () => {
    await dataSource.query('CREATE TABLE v (id INTEGER PRIMARY KEY)');
    const reader = new Database(join(dir.path, 'tx.db'), { readonly: true });
    const seen = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sut
          .run((manager) => manager.query('INSERT INTO v (id) VALUES (?)', [i]))
          .then(() => reader.prepare('SELECT id FROM v WHERE id = ?').get(i) !== undefined),
      ),
    );
    reader.close();
    expect(seen).toEqual(Array.from({ length: 30 }, () => true));
  });
});

describe(CommitBuffer.name, () => {
  const dir = makeTempDir();
  let dataSource: DataSource;
  let sut: TransactionRunner;

  beforeAll(async () => {
    dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_SCHEMA, { database: join(dir.path, 'buffer.db') }));
    await dataSource.initialize();
    await dataSource.query(
      'CREATE TABLE c (day TEXT, k TEXT, n INTEGER NOT NULL DEFAULT 0, m INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, k))',
    );
    // Counts the statements that reach the counter rows.
    await dataSource.query('CREATE TABLE writes (n INTEGER NOT NULL)');
    await dataSource.query('INSERT INTO writes (n) VALUES (0)');
    await dataSource.query('CREATE TRIGGER c_insert AFTER INSERT ON c BEGIN UPDATE writes SET n = n + 1; END');
    await dataSource.query('CREATE TRIGGER c_update AFTER UPDATE ON c BEGIN UPDATE writes SET n = n + 1; END');
    await dataSource.query('CREATE TABLE e (id INTEGER PRIMARY KEY)');
    sut = new TransactionRunner(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    dir.remove();
  });

  const counters = (): Promise<Array<{ day: string; k: string; n: number; m: number }>> =>
    dataSource.query('SELECT day, k, n, m FROM c ORDER BY day, k');
  const writes = async (): Promise<number> => (await dataSource.query('SELECT n FROM writes'))[0].n;

  it('sums the additions of a group and writes each row once, leaving out the units that failed', async () => {
    const before = sut.transactions;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        sut.run(async (manager) => {
          await manager.query('INSERT INTO e (id) VALUES (?)', [i]);
          await CommitBuffer.add(manager, 'c', { day: '2026-11-26', k: i % 2 === 0 ? 'even' : 'odd' }, { n: 1 });
          await CommitBuffer.add(manager, 'c', { day: '2026-11-26', k: 'all' }, { n: 1, m: i });
          if (i % 10 === 3) throw new Error(`unit ${i} fails after adding`);
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    const transactions = sut.transactions - before;
    expect(transactions).toBeLessThan(10);
    // Units 3, 13, 23 and 33 (all odd) rolled back: neither their rows nor their additions stay.
    const kept = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 10 !== 3);
    expect(await counters()).toEqual([
      { day: '2026-11-26', k: 'all', n: 36, m: kept.reduce((a, b) => a + b, 0) },
      { day: '2026-11-26', k: 'even', n: 20, m: 0 },
      { day: '2026-11-26', k: 'odd', n: 16, m: 0 },
    ]);
    const stored: Array<{ n: number }> = await dataSource.query('SELECT COUNT(*) AS n FROM e');
    expect(stored[0].n).toBe(36);
    // One write per row and transaction, not one per addition (72 additions were kept).
    expect(await writes()).toBeLessThanOrEqual(3 * transactions);
  });

  it('keeps rows apart whose key values run together the same', async () => {
    await dataSource.query('DELETE FROM c');
    await sut.run(async (manager) => {
      await CommitBuffer.add(manager, 'c', { day: 'x', k: '1:y' }, { n: 1 });
      await CommitBuffer.add(manager, 'c', { day: 'x1:', k: 'y' }, { n: 2 });
    });
    expect(await counters()).toEqual([
      { day: 'x', k: '1:y', n: 1, m: 0 },
      { day: 'x1:', k: 'y', n: 2, m: 0 },
    ]);
  });

  it('writes nothing of a unit that runs alone and fails, and adds at once outside a runner', async () => {
    await dataSource.query('DELETE FROM c');
    await expect(
      sut.run(async (manager) => {
        await CommitBuffer.add(manager, 'c', { day: 'd', k: 'alone' }, { n: 5 });
        throw new Error('fails');
      }),
    ).rejects.toThrow('fails');
    await sut.run((manager) => CommitBuffer.add(manager, 'c', { day: 'd', k: 'alone' }, { n: 2 }));
    expect(await counters()).toEqual([{ day: 'd', k: 'alone', n: 2, m: 0 }]);
    // A manager outside any runner transaction: the addition is written immediately.
    await CommitBuffer.add(dataSource.manager, 'c', { day: 'd', k: 'alone' }, { n: 1 });
    expect(await counters()).toEqual([{ day: 'd', k: 'alone', n: 3, m: 0 }]);
  });
});

describe('Group commit under a crash', () => {
  it('loses nothing acknowledged when the process is killed mid-flight', async () => {
    const dir = makeTempDir('engage-crash-');
    const file = join(dir.path, 'crash.db');
    try {
      const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'test', 'support', 'group-commit-child.js'), file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      child.kill('SIGKILL');
      await once(child, 'exit');
      const acked = output
        .split('\n')
        .filter((line) => line.startsWith('ack '))
        .map((line) => Number(line.slice(4)));
      expect(acked.length).toBeGreaterThan(100);
      const db = new Database(file, { readonly: true });
      const stored = new Set((db.prepare('SELECT n FROM acked').all() as { n: number }[]).map((row) => row.n));
      db.close();
      expect(acked.filter((n) => !stored.has(n))).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
