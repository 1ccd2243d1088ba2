import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Daily rollups for app-wide analytics, cohorts for retention, and the funnel's indexes. */
export class AddRollups1764200000000 implements MigrationInterface {
  name = 'AddRollups1764200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'daily_stats',
        columns: [
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'events', type: 'integer', default: 0 },
          { name: 'sessions_started', type: 'integer', default: 0 },
          { name: 'sessions_ended', type: 'integer', default: 0 },
          { name: 'session_seconds', type: 'double precision', default: 0 },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'daily_counts',
        columns: [
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '8', isPrimary: true },
          { name: 'key', type: 'varchar', length: '2048', isPrimary: true },
          { name: 'count', type: 'integer', default: 0 },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_cohorts',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'first_day', type: 'varchar', length: '10' },
        ],
        indices: [new TableIndex({ name: 'idx_user_cohorts_first_day', columnNames: ['first_day'] })],
      }),
    );
    // A funnel reads only its steps' events in its date range.
    await queryRunner.createIndex(
      'user_activities',
      new TableIndex({ name: 'idx_user_activities_type_time', columnNames: ['activity_type', 'timestamp'] }),
    );
    await queryRunner.createIndex(
      'user_activities',
      new TableIndex({ name: 'idx_user_activities_page_time', columnNames: ['page_url', 'timestamp'] }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_activities', 'idx_user_activities_page_time');
    await queryRunner.dropIndex('user_activities', 'idx_user_activities_type_time');
    await queryRunner.dropTable('user_cohorts');
    await queryRunner.dropTable('daily_counts');
    await queryRunner.dropTable('daily_stats');
  }
}
