import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { makeTempDir } from '../../../test/support/temp-dir';
import { sql } from './sql';
import { fromStored, markInTransaction, sqliteConnection, toStored } from './typeorm-adapter';

@Entity('probes')
class Probe {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'seen_at', type: Date, nullable: true })
  seenAt: Date | null;

  @Column({ type: 'json', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ type: 'boolean', default: false })
  flag: boolean;
}

/**
 * Pins what the engine relies on in TypeORM beyond its documented API (typeorm-adapter.ts): if a
 * TypeORM upgrade changes any of it, this file fails and says which.
 */
describe('TypeORM behaviour the engine relies on', () => {
  const dir = makeTempDir();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: join(dir.path, 'pin.db'), entities: [Probe], synchronize: false });
    await dataSource.initialize();
    await dataSource.query(
      'CREATE TABLE probes (id varchar(36) PRIMARY KEY, seen_at datetime, data text, flag boolean NOT NULL DEFAULT (0))',
    );
  });

  afterEach(async () => {
    await dataSource.query('DELETE FROM probes');
  });

  afterAll(async () => {
    await dataSource.destroy();
    dir.remove();
  });

  it('the better-sqlite3 driver keeps one connection, and every query runner runs on it', async () => {
    const connection = sqliteConnection(dataSource);
    expect(connection).toBeInstanceOf(Database);
    const first = dataSource.createQueryRunner();
    const second = dataSource.createQueryRunner();
    // What one runner writes inside an open transaction, the other reads: one connection.
    await first.query('BEGIN IMMEDIATE');
    await first.query("INSERT INTO probes (id) VALUES ('shared')");
    expect(connection!.inTransaction).toBe(true);
    expect(await second.query("SELECT id FROM probes WHERE id = 'shared'")).toEqual([{ id: 'shared' }]);
    await first.query('ROLLBACK');
    await first.release();
    await second.release();
  });

  it('save() inside a runner marked in a transaction joins it instead of beginning its own', async () => {
    const runner = dataSource.createQueryRunner();
    const connection = sqliteConnection(dataSource)!;
    try {
      await sql.run(runner.manager, 'BEGIN IMMEDIATE');
      markInTransaction(runner, true);
      await runner.manager.save(Probe, { id: 'joined', seenAt: null, data: null, flag: true });
      // Still our transaction: save() neither committed it nor began a nested one.
      expect(connection.inTransaction).toBe(true);
      await sql.run(runner.manager, 'ROLLBACK');
    } finally {
      markInTransaction(runner, false);
      await runner.release();
    }
    expect(await dataSource.query("SELECT id FROM probes WHERE id = 'joined'")).toEqual([]);
    expect(runner.isTransactionActive).toBe(false);
  });

  it('without the mark, save() inside an open transaction fails rather than silently nesting', async () => {
    // Why the mark is needed: TypeORM would begin a transaction of its own on the shared connection.
    const runner = dataSource.createQueryRunner();
    try {
      await sql.run(runner.manager, 'BEGIN IMMEDIATE');
      await expect(runner.manager.save(Probe, { id: 'unmarked', seenAt: null, data: null, flag: false })).rejects.toThrow(
        /within a transaction/,
      );
    } finally {
      if (sqliteConnection(dataSource)!.inTransaction) await sql.run(runner.manager, 'ROLLBACK');
      await runner.release();
    }
  });

  it("the driver's value conversions store and read back what the repository does", async () => {
    const metadata = dataSource.getMetadata(Probe);
    const column = (property: string) => metadata.findColumnWithPropertyName(property)!;
    const at = new Date('2026-12-02T10:20:30.456Z');
    const data = { a: [1, 'two', null], nested: { b: true } };

    // Written by the engine's conversions, read by TypeORM's repository.
    await sql.run(dataSource.manager, 'INSERT INTO probes (id, seen_at, data, flag) VALUES (?, ?, ?, ?)', [
      'engine',
      toStored(dataSource, column('seenAt'), at),
      toStored(dataSource, column('data'), data),
      toStored(dataSource, column('flag'), true),
    ]);
    expect(await dataSource.manager.findOneBy(Probe, { id: 'engine' })).toEqual({ id: 'engine', seenAt: at, data, flag: true });

    // Written by TypeORM's repository, read by the engine's conversions.
    await dataSource.manager.insert(Probe, { id: 'typeorm', seenAt: at, data, flag: false });
    const row = (await sql.one<Record<string, unknown>>(dataSource.manager, "SELECT * FROM probes WHERE id = 'typeorm'", []))!;
    expect(fromStored(dataSource, column('seenAt'), row.seen_at)).toEqual(at);
    expect(fromStored(dataSource, column('data'), row.data)).toEqual(data);
    expect(fromStored(dataSource, column('flag'), row.flag)).toBe(false);

    // better-sqlite3 binds neither booleans nor undefined: the conversions never hand it one.
    expect(toStored(dataSource, column('flag'), false)).toBe(0);
    expect(toStored(dataSource, column('seenAt'), undefined)).toBeNull();
    expect(toStored(dataSource, column('data'), null)).toBeNull();
  });
});
