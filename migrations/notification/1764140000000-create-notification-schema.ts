import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Notification database v1: notifications, preferences, templates and device tokens. */
export class CreateNotificationSchema1764140000000 implements MigrationInterface {
  name = 'CreateNotificationSchema1764140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });

    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'title', type: 'varchar', length: '500' },
          { name: 'message', type: 'text' },
          { name: 'notification_type', type: 'varchar', length: '100' },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'data', type: 'json', isNullable: true },
          { name: 'priority', type: 'varchar', length: '10', default: "'normal'" },
          { name: 'created_at', type: timestamp },
          { name: 'scheduled_at', type: timestamp, isNullable: true },
          { name: 'available_at', type: timestamp },
          { name: 'sent_at', type: timestamp, isNullable: true },
          { name: 'read_at', type: timestamp, isNullable: true },
          { name: 'template_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_notifications_user_available', columnNames: ['user_id', 'available_at', 'id'] }),
          new TableIndex({ name: 'idx_notifications_user_unread', columnNames: ['user_id', 'read_at', 'available_at'] }),
          new TableIndex({ name: 'idx_notifications_status_scheduled', columnNames: ['status', 'scheduled_at'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'notification_preferences',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'notification_type', type: 'varchar', length: '100', isPrimary: true },
          { name: 'channel', type: 'varchar', length: '20', isPrimary: true },
          { name: 'enabled', type: 'boolean' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'notification_templates',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'title_template', type: 'varchar', length: '1000' },
          { name: 'message_template', type: 'text' },
          { name: 'channels', type: 'json' },
          { name: 'category', type: 'varchar', length: '100', isNullable: true },
          { name: 'data_schema', type: 'json', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'uq_notification_templates_name', columnNames: ['name'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'device_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'token', type: 'varchar', length: '4096' },
          { name: 'platform', type: 'varchar', length: '10' },
          { name: 'device_info', type: 'json', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'last_used', type: timestamp },
          { name: 'is_active', type: 'boolean' },
        ],
        indices: [
          new TableIndex({ name: 'idx_device_tokens_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'uq_device_tokens_token', columnNames: ['token'], isUnique: true }),
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('device_tokens');
    await queryRunner.dropTable('notification_templates');
    await queryRunner.dropTable('notification_preferences');
    await queryRunner.dropTable('notifications');
  }
}
