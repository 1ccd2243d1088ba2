import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The notification type registry: a type's default, whether it is required, and its label, description and category. */
export class AddNotificationTypes1764400000000 implements MigrationInterface {
  name = 'AddNotificationTypes1764400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'notification_types',
        columns: [
          { name: 'notification_type', type: 'varchar', length: '100', isPrimary: true },
          { name: 'default_enabled', type: 'boolean' },
          { name: 'required', type: 'boolean' },
          { name: 'label', type: 'varchar', length: '100', isNullable: true },
          { name: 'description', type: 'varchar', length: '1000', isNullable: true },
          { name: 'category', type: 'varchar', length: '100', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_types');
  }
}
