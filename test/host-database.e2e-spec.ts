import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { Column, DataSource, Entity, type MigrationInterface, PrimaryGeneratedColumn, type QueryRunner } from 'typeorm';
import { ApiKeyService } from '../src/auth/api-key.service';
import { EngageModule } from '../src/engage.module';
import { contractRecorder } from './support/contract-recorder';
import { makeTempDir } from './support/temp-dir';

/** The host's own table, which Engage must leave alone. */
@Entity('orders')
class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar')
  item!: string;
}

/** The host's own migration: its schema, like Engage's, is made by migrations, not synchronize. */
class CreateOrders1700000000000 implements MigrationInterface {
  name = 'CreateOrders1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "item" varchar NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "orders"');
  }
}

/** The host's database, as its app module declares it. */
function hostTypeOrm(file: string): DynamicModule {
  return TypeOrmModule.forRoot({
    type: 'better-sqlite3',
    database: file,
    entities: [Order],
    migrations: [CreateOrders1700000000000],
    migrationsRun: true,
  });
}

/** Engage in the host's database: the host's DataSource, injected as a Nest app would. */
function engageOnHostDataSource(): DynamicModule {
  return EngageModule.forRootAsync({
    inject: [getDataSourceToken()],
    useFactory: (dataSource: DataSource) => ({ dataSource }),
  });
}

/** A host app on `imports`, every answer of it held to the OpenAPI contract. */
async function boot(imports: DynamicModule[]): Promise<{ app: INestApplication; violations: string[] }> {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const violations: string[] = [];
  app.use(contractRecorder(violations));
  await app.init();
  return { app, violations };
}

/** The tables of a SQLite file, read on a connection of the test's own. */
function tablesOf(file: string): string[] {
  return readOnly(file, (db) =>
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
        name: string;
      }>
    ).map((row) => row.name),
  );
}

function readOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function count(file: string, table: string): number {
  return readOnly(file, (db) => (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n);
}

const ENGAGE_MIGRATION_TABLES = ['activity_migrations', 'auth_migrations', 'notification_migrations'];

/** Tracks an activity and sends an in-app notification through Engage's routes, as a client would. */
async function trackAndSend(app: INestApplication, userId: string): Promise<void> {
  const key = (await app.get(ApiKeyService).create('host-admin', 'admin')).key;
  const server = app.getHttpServer();
  const tracked = await request(server)
    .post('/api/activity/track')
    .set('Authorization', `Bearer ${key}`)
    .set('User-Agent', 'curl/8.5.0')
    .send({ user_id: userId, activity_type: 'page_view', page_url: '/checkout' })
    .expect(201);
  expect(tracked.body).toMatchObject({ success: true, activity_id: expect.any(String) });
  const sent = await request(server)
    .post('/api/notifications/send')
    .set('Authorization', `Bearer ${key}`)
    .send({ user_id: userId, title: 'Order shipped', message: 'On its way', notification_type: 'order', channel: 'in_app' })
    .expect(201);
  expect(sent.body).toMatchObject({ success: true, status: 'sent', notification_id: expect.any(String) });
}

describe("Engage's tables in the host's own database (dataSource)", () => {
  const dir = makeTempDir('engage-host-db-');

  afterAll(() => dir.remove());

  it("runs on the host's better-sqlite3 file beside the host's table, through forRootAsync with getDataSourceToken()", async () => {
    const file = join(dir.path, 'host.db');

    // The host's app before Engage: its table and a row of its own.
    const before = await boot([hostTypeOrm(file)]);
    await before.app.get(DataSource).getRepository(Order).insert({ item: 'first order' });
    await before.app.close();
    const ordersSql = readOnly(file, (db) => db.prepare("SELECT sql FROM sqlite_master WHERE name = 'orders'").pluck().get());

    const { app, violations } = await boot([hostTypeOrm(file), engageOnHostDataSource()]);
    try {
      const host = app.get(DataSource);
      // Engage's connections are its own, to the host's file: never the host's DataSource object.
      for (const name of ['activity', 'notification', 'auth']) {
        const engage = app.get<DataSource>(getDataSourceToken(name));
        expect(engage).not.toBe(host);
        expect(engage.options).toMatchObject({ type: 'better-sqlite3', database: file, migrationsTableName: `${name}_migrations` });
      }
      expect(tablesOf(file)).toEqual(
        expect.arrayContaining(['orders', 'migrations', ...ENGAGE_MIGRATION_TABLES, 'user_activities', 'notifications', 'api_keys']),
      );
      // No file of Engage's own beside the host's (its three data sources above all name the host's).
      expect(readdirSync(dir.path).filter((name) => !name.startsWith('host.db'))).toEqual([]);

      await trackAndSend(app, 'buyer-1');
      // The rows are in the host's file, where the host's own DataSource reads them.
      await expect(host.query("SELECT activity_type, page_url FROM user_activities WHERE user_id = 'buyer-1'")).resolves.toEqual([
        { activity_type: 'page_view', page_url: '/checkout' },
      ]);
      await expect(host.query("SELECT title, channel, status FROM notifications WHERE user_id = 'buyer-1'")).resolves.toEqual([
        { title: 'Order shipped', channel: 'in_app', status: 'sent' },
      ]);

      // The host writes through its DataSource while Engage commits requests: all of both land.
      const key = (await app.get(ApiKeyService).create('concurrent', 'admin')).key;
      const server = app.getHttpServer();
      let inFlight = 0;
      let hostWritesDuringRequests = 0;
      const track = async (i: number) => {
        inFlight++;
        try {
          await request(server)
            .post('/api/activity/track')
            .set('Authorization', `Bearer ${key}`)
            .send({ user_id: 'buyer-2', activity_type: 'click', event_id: `evt-${i}` })
            .expect(201);
        } finally {
          inFlight--;
        }
      };
      // Spread over the time the requests take, half of them in the host's own transactions (save).
      const hostWrite = async (i: number) => {
        await new Promise((resolve) => setTimeout(resolve, i * 3));
        if (inFlight > 0) hostWritesDuringRequests++;
        const orders = host.getRepository(Order);
        await (i % 2 === 0 ? orders.insert({ item: `order ${i}` }) : orders.save(orders.create({ item: `order ${i}` })));
      };
      await Promise.all([...Array.from({ length: 30 }, (_, i) => hostWrite(i)), ...Array.from({ length: 30 }, (_, i) => track(i))]);
      expect(hostWritesDuringRequests).toBeGreaterThan(0);
      await expect(host.getRepository(Order).count()).resolves.toBe(31);
      await expect(host.query("SELECT COUNT(*) AS n FROM user_activities WHERE user_id = 'buyer-2'")).resolves.toEqual([{ n: 30 }]);
    } finally {
      await app.close();
    }
    expect(violations).toEqual([]);

    // The host's table as it was: same definition, its first row kept.
    expect(readOnly(file, (db) => db.prepare("SELECT sql FROM sqlite_master WHERE name = 'orders'").pluck().get())).toBe(ordersSql);
    expect(readOnly(file, (db) => db.prepare('SELECT item FROM orders ORDER BY id LIMIT 1').pluck().get())).toBe('first order');

    // A restart on the same file: nothing migrates again, nothing fails, the data is there.
    const applied = Object.fromEntries(ENGAGE_MIGRATION_TABLES.map((table) => [table, count(file, table)]));
    expect(Object.values(applied).every((n) => n > 0)).toBe(true);
    const again = await boot([hostTypeOrm(file), engageOnHostDataSource()]);
    try {
      await trackAndSend(again.app, 'buyer-3');
      await expect(again.app.get(DataSource).query('SELECT COUNT(DISTINCT user_id) AS n FROM user_activities')).resolves.toEqual([
        { n: 3 },
      ]);
    } finally {
      await again.app.close();
    }
    expect(again.violations).toEqual([]);
    expect(Object.fromEntries(ENGAGE_MIGRATION_TABLES.map((table) => [table, count(file, table)]))).toEqual(applied);
    expect(count(file, 'migrations')).toBe(1);
  });

  it('takes plain DataSourceOptions in forRoot the same way, and boots again on the file it made', async () => {
    const file = join(dir.path, 'options.db');
    const engage = () => EngageModule.forRoot({ dataSource: { type: 'better-sqlite3', database: file } });
    const first = await boot([engage()]);
    try {
      await trackAndSend(first.app, 'reader-1');
    } finally {
      await first.app.close();
    }
    expect(first.violations).toEqual([]);
    expect(tablesOf(file)).toEqual(expect.arrayContaining([...ENGAGE_MIGRATION_TABLES, 'user_activities', 'notifications', 'api_keys']));
    expect(count(file, 'user_activities')).toBe(1);
    expect(count(file, 'notifications')).toBe(1);

    const applied = ENGAGE_MIGRATION_TABLES.map((table) => count(file, table));
    const second = await boot([engage()]);
    try {
      await trackAndSend(second.app, 'reader-2');
    } finally {
      await second.app.close();
    }
    expect(ENGAGE_MIGRATION_TABLES.map((table) => count(file, table))).toEqual(applied);
    expect(count(file, 'user_activities')).toBe(2);
  });

  describe('refuses to boot, saying why', () => {
    it('on PostgreSQL options, before any connection is attempted', async () => {
      // A stand-in for the PostgreSQL server: it counts whoever connects.
      let connections = 0;
      const server: Server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        await expect(
          boot([
            EngageModule.forRoot({
              dataSource: { type: 'postgres', host: '127.0.0.1', port, username: 'engage', password: 'engage', database: 'engage' },
            }),
          ]),
        ).rejects.toThrow(
          "EngageModule dataSource: type 'postgres' is not supported yet; Engage runs on SQLite (better-sqlite3) until PostgreSQL support lands",
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(connections).toBe(0);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it("on an in-memory database, which Engage's own connection could not share", async () => {
      await expect(boot([EngageModule.forRoot({ dataSource: { type: 'better-sqlite3', database: ':memory:' } })])).rejects.toThrow(
        /^EngageModule dataSource: database ':memory:' is in memory/,
      );
    });

    it('on a database path and a dataSource given together', async () => {
      const dataSource = { type: 'better-sqlite3' as const, database: join(dir.path, 'together.db') };
      await expect(boot([EngageModule.forRoot({ dataSource, activity: { database: join(dir.path, 'apart.db') } })])).rejects.toThrow(
        /^EngageModule: activity\.database and dataSource are both set/,
      );
      const own = { type: 'better-sqlite3' as const, database: join(dir.path, 'own.db') };
      await expect(
        boot([EngageModule.forRoot({ dataSource, notification: { database: join(dir.path, 'apart.db'), dataSource: own } })]),
      ).rejects.toThrow(/^EngageModule: notification\.database and notification\.dataSource are both set/);
      // Refused before any part opened a database.
      expect(readdirSync(dir.path).filter((name) => /^(together|apart|own)\.db/.test(name))).toEqual([]);
    });

    it("on a host's table named like one of Engage's, which Engage did not create", async () => {
      const file = join(dir.path, 'clash.db');
      const db = new Database(file);
      db.exec("CREATE TABLE notifications (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notifications (body) VALUES ('the host''s')");
      db.close();
      await expect(boot([EngageModule.forRoot({ dataSource: { type: 'better-sqlite3', database: file } })])).rejects.toThrow(
        `Engage's notification tables cannot go in ${file}: it already has a table 'notifications' that was not created by Engage`,
      );
      // The host's table is as it was, and no part of Engage made tables before the boot stopped.
      expect(readOnly(file, (conn) => conn.prepare('SELECT body FROM notifications').pluck().all())).toEqual(["the host's"]);
      expect(tablesOf(file)).toEqual(['notifications']);
    });
  });
});
