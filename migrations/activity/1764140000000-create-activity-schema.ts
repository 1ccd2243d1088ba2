import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Activity database v1: activities, sessions, per-user analytics and their counters. */
export class CreateActivitySchema1764140000000 implements MigrationInterface {
  name = 'CreateActivitySchema1764140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });

    await queryRunner.createTable(
      new Table({
        name: 'user_activities',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'activity_type', type: 'varchar', length: '100' },
          { name: 'timestamp', type: timestamp },
          { name: 'session_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'metadata', type: 'json', isNullable: true },
          { name: 'ip_address', type: 'varchar', length: '45', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '1024', isNullable: true },
          { name: 'referrer', type: 'varchar', length: '2048', isNullable: true },
          { name: 'page_url', type: 'varchar', length: '2048', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_user_activities_user_time', columnNames: ['user_id', 'timestamp'] }),
          new TableIndex({ name: 'idx_user_activities_session', columnNames: ['session_id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'user_sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'start_time', type: timestamp },
          { name: 'end_time', type: timestamp, isNullable: true },
          { name: 'duration', type: 'double precision', isNullable: true },
          { name: 'pages_visited', type: 'json' },
          { name: 'activity_count', type: 'integer', default: 0 },
          { name: 'device_info', type: 'json', isNullable: true },
          { name: 'ip_address', type: 'varchar', length: '45', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '1024', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_user_sessions_user_start', columnNames: ['user_id', 'start_time'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'user_analytics',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'total_sessions', type: 'integer', default: 0 },
          { name: 'total_activities', type: 'integer', default: 0 },
          { name: 'first_activity', type: timestamp, isNullable: true },
          { name: 'last_activity', type: timestamp, isNullable: true },
          { name: 'ended_sessions', type: 'integer', default: 0 },
          { name: 'total_session_duration', type: 'double precision', default: 0 },
          { name: 'avg_session_duration', type: 'double precision', default: 0 },
          { name: 'most_visited_pages', type: 'json' },
          { name: 'favorite_features', type: 'json' },
          { name: 'engagement_score', type: 'double precision', default: 0 },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'user_activity_counters',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16', isPrimary: true },
          { name: 'key', type: 'varchar', length: '2048', isPrimary: true },
          { name: 'count', type: 'integer', default: 0 },
        ],
        indices: [new TableIndex({ name: 'idx_user_activity_counters_rank', columnNames: ['user_id', 'kind', 'count'] })],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_activity_counters');
    await queryRunner.dropTable('user_analytics');
    await queryRunner.dropTable('user_sessions');
    await queryRunner.dropTable('user_activities');
  }
}
