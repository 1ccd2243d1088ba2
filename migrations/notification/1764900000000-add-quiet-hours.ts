import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/** Quiet hours and pauses per user, and whether an in-app notification landed silently in them. */
export class AddQuietHours1764900000000 implements MigrationInterface {
  name = 'AddQuietHours1764900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'notification_schedules',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'timezone', type: 'varchar', length: '64', isNullable: true },
          { name: 'quiet_hours', type: 'json' },
          { name: 'paused_until', type: timestamp, isNullable: true },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    // The driver's own spelling of a false default (0 in SQLite, false in PostgreSQL).
    const no = queryRunner.connection.driver.normalizeDefault({ default: false } as never);
    await queryRunner.addColumn('notifications', new TableColumn({ name: 'silent', type: 'boolean', default: no }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('notifications', 'silent');
    await queryRunner.dropTable('notification_schedules');
  }
}
