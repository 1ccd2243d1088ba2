import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Digests and throttles: a type's digest frequency and hourly cap in the registry, users' own
 * digest choices, the digests gathering notifications, and the per-hour counters of a cap; a
 * template's default for its type; and the user token behind a stream ticket.
 */
export class AddDigests1765000000000 implements MigrationInterface {
  name = 'AddDigests1765000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.addColumns('notification_types', [
      new TableColumn({ name: 'digest', type: 'varchar', length: '10', default: "'instant'" }),
      new TableColumn({ name: 'throttle_per_hour', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'throttle_excess', type: 'varchar', length: '10', default: "'digest'" }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'digest_preferences',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'notification_type', type: 'varchar', length: '100', isPrimary: true },
          { name: 'frequency', type: 'varchar', length: '10' },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_digests',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'frequency', type: 'varchar', length: '10' },
          { name: 'due_at', type: timestamp },
          { name: 'state', type: 'varchar', length: '12' },
          { name: 'notification_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
        indices: [
          new TableIndex({
            name: 'uq_notification_digests_open',
            columnNames: ['user_id', 'channel', 'due_at'],
            isUnique: true,
            where: "state = 'open'",
          }),
          new TableIndex({ name: 'idx_notification_digests_due', columnNames: ['state', 'due_at'] }),
          new TableIndex({ name: 'idx_notification_digests_user', columnNames: ['user_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'throttle_counters',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'notification_type', type: 'varchar', length: '100', isPrimary: true },
          { name: 'channel', type: 'varchar', length: '20', isPrimary: true },
          { name: 'window_start', type: timestamp },
          { name: 'sent', type: 'integer' },
        ],
      }),
    );
    await queryRunner.addColumn('notifications', new TableColumn({ name: 'digest_id', type: 'varchar', length: '36', isNullable: true }));
    // A stream opened with a ticket ends with the user token that asked for the ticket.
    await queryRunner.addColumns('stream_tickets', [
      new TableColumn({ name: 'token_issued_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'token_expires_at', type: timestamp, isNullable: true }),
    ]);
    // A type's default may come from the template that sends it, when the registry has no entry.
    await queryRunner.addColumn('notification_templates', new TableColumn({ name: 'default_enabled', type: 'boolean', isNullable: true }));
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({ name: 'idx_notifications_digest', columnNames: ['digest_id'], where: 'digest_id IS NOT NULL' }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('notification_templates', 'default_enabled');
    await queryRunner.dropColumns('stream_tickets', ['token_issued_at', 'token_expires_at']);
    await queryRunner.dropIndex('notifications', 'idx_notifications_digest');
    await queryRunner.dropColumn('notifications', 'digest_id');
    await queryRunner.dropTable('throttle_counters');
    await queryRunner.dropTable('notification_digests');
    await queryRunner.dropTable('digest_preferences');
    await queryRunner.dropColumns('notification_types', ['digest', 'throttle_per_hour', 'throttle_excess']);
  }
}
