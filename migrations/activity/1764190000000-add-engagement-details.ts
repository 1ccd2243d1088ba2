import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** Per-user first_seen, active_days, top referrers and devices; the active-days table behind them. */
export class AddEngagementDetails1764190000000 implements MigrationInterface {
  name = 'AddEngagementDetails1764190000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.addColumns('user_analytics', [
      new TableColumn({ name: 'first_seen', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'active_days', type: 'integer', default: 0 }),
      new TableColumn({ name: 'top_referrers', type: 'json', isNullable: true }),
      new TableColumn({ name: 'devices', type: 'json', isNullable: true }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'user_active_days',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'idx_user_active_days_day', columnNames: ['day', 'user_id'] })],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_active_days');
    await queryRunner.dropColumns('user_analytics', ['devices', 'top_referrers', 'active_days', 'first_seen']);
  }
}
