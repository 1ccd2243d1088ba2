import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * The inbox's own state: seen, archived, snoozed, action buttons and a category per notification,
 * and per-user counters (total, unread, unseen) kept in step with every change instead of counted
 * per request.
 *
 * A notification is in the inbox (and counted) while `relist_at` and `archived_at` are null;
 * `relist_at` is when a scheduled or snoozed one comes (back) in.
 */
export class InboxState1764500000000 implements MigrationInterface {
  name = 'InboxState1764500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.addColumns('notifications', [
      new TableColumn({ name: 'seen_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'archived_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'snoozed_until', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'relist_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'category', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'actions', type: 'json', isNullable: true }),
      new TableColumn({ name: 'action_taken_id', type: 'varchar', length: '50', isNullable: true }),
      new TableColumn({ name: 'action_taken_at', type: timestamp, isNullable: true }),
    ]);
    // Partial: only the few notifications waiting to come in are indexed.
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({ name: 'idx_notifications_relist', columnNames: ['relist_at'], where: 'relist_at IS NOT NULL' }),
    );
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({ name: 'idx_notifications_user_relist', columnNames: ['user_id', 'relist_at'], where: 'relist_at IS NOT NULL' }),
    );
    // What is already stored: a read notification was seen when it was read, and one scheduled
    // for later comes in at its time.
    await queryRunner.query(`UPDATE "notifications" SET "seen_at" = "read_at" WHERE "read_at" IS NOT NULL`);
    const now = queryRunner.connection.driver.createParameter('now', 0);
    await queryRunner.query(`UPDATE "notifications" SET "relist_at" = "available_at" WHERE "available_at" > ${now}`, [
      storedNow(queryRunner),
    ]);

    await queryRunner.createTable(
      new Table({
        name: 'inbox_counters',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'total', type: 'integer', default: 0 },
          { name: 'unread', type: 'integer', default: 0 },
          { name: 'unseen', type: 'integer', default: 0 },
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO "inbox_counters" ("user_id", "total", "unread", "unseen")
       SELECT "user_id", COUNT(*),
              SUM(CASE WHEN "read_at" IS NULL THEN 1 ELSE 0 END),
              SUM(CASE WHEN "seen_at" IS NULL THEN 1 ELSE 0 END)
       FROM "notifications" WHERE "relist_at" IS NULL AND "archived_at" IS NULL GROUP BY "user_id"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('inbox_counters');
    await queryRunner.dropIndex('notifications', 'idx_notifications_user_relist');
    await queryRunner.dropIndex('notifications', 'idx_notifications_relist');
    for (const column of [
      'action_taken_at',
      'action_taken_id',
      'actions',
      'category',
      'relist_at',
      'snoozed_until',
      'archived_at',
      'seen_at',
    ]) {
      await queryRunner.dropColumn('notifications', column);
    }
  }
}

/** Now as the driver stores a Date column, so it compares with stored values. */
function storedNow(queryRunner: QueryRunner): unknown {
  return queryRunner.connection.driver.preparePersistentValue(new Date(), { type: Date } as never);
}
