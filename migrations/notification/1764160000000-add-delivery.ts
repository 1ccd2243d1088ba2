import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** Delivery: the durable job queue, attempt records, user contacts, idempotency keys, email HTML. */
export class AddDelivery1764160000000 implements MigrationInterface {
  name = 'AddDelivery1764160000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });

    await queryRunner.addColumn('notifications', new TableColumn({ name: 'html_message', type: 'text', isNullable: true }));

    await queryRunner.createTable(
      new Table({
        name: 'notification_deliveries',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'notification_id', type: 'varchar', length: '36' },
          { name: 'attempt', type: 'integer' },
          { name: 'provider', type: 'varchar', length: '100' },
          { name: 'started_at', type: timestamp },
          { name: 'finished_at', type: timestamp },
          { name: 'outcome', type: 'varchar', length: '10' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'provider_message_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_notification_deliveries_notification', columnNames: ['notification_id', 'attempt'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'delivery_jobs',
        columns: [
          { name: 'notification_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'priority', type: 'integer' },
          { name: 'run_at', type: timestamp },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'state', type: 'varchar', length: '10' },
          { name: 'lease_until', type: timestamp, isNullable: true },
          { name: 'completed_targets', type: 'json' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'idx_delivery_jobs_due', columnNames: ['state', 'priority', 'run_at'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'user_contacts',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'email', type: 'varchar', length: '320', isNullable: true },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true },
          { name: 'slack_webhook_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'webhook_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'locale', type: 'varchar', length: '35', isNullable: true },
          { name: 'timezone', type: 'varchar', length: '64', isNullable: true },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'status_code', type: 'integer' },
          { name: 'response_body', type: 'json' },
          { name: 'created_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'idx_idempotency_keys_created', columnNames: ['created_at'] })],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
    await queryRunner.dropTable('user_contacts');
    await queryRunner.dropTable('delivery_jobs');
    await queryRunner.dropTable('notification_deliveries');
    await queryRunner.dropColumn('notifications', 'html_message');
  }
}
