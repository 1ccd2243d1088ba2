import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The session reaper's index: open sessions by start time (a partial index holding only the open
 * ones). It replaces (end_time, last_activity_at), which the reaper could use for end_time alone
 * (its quiet test is COALESCE(last_activity_at, start_time) < cutoff), after which it sorted every
 * open session by start time, and which every tracked event rewrote, as it moves
 * last_activity_at. Nothing here changes while a session runs: only when it starts and ends.
 */
export class OpenSessionsIndex1764240000000 implements MigrationInterface {
  name = 'OpenSessionsIndex1764240000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_sessions', 'idx_user_sessions_open');
    await queryRunner.createIndex(
      'user_sessions',
      new TableIndex({ name: 'idx_user_sessions_open', columnNames: ['start_time'], where: '"end_time" IS NULL' }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_sessions', 'idx_user_sessions_open');
    await queryRunner.createIndex(
      'user_sessions',
      new TableIndex({ name: 'idx_user_sessions_open', columnNames: ['end_time', 'last_activity_at'] }),
    );
  }
}
