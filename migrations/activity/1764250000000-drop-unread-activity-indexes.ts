import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Three indexes of user_activities that no query reads any more, each written by every tracked
 * event: (session_id) never served a query; (activity_type, timestamp) and (page_url, timestamp)
 * served the funnel, which now streams each user's events through (user_id, timestamp) instead of
 * collecting and sorting the matches. Events keep (user_id, timestamp), (timestamp) for the
 * retention purge, and the event_id uniqueness index.
 */
export class DropUnreadActivityIndexes1764250000000 implements MigrationInterface {
  name = 'DropUnreadActivityIndexes1764250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_activities', 'idx_user_activities_session');
    await queryRunner.dropIndex('user_activities', 'idx_user_activities_type_time');
    await queryRunner.dropIndex('user_activities', 'idx_user_activities_page_time');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('user_activities', new TableIndex({ name: 'idx_user_activities_session', columnNames: ['session_id'] }));
    await queryRunner.createIndex(
      'user_activities',
      new TableIndex({ name: 'idx_user_activities_type_time', columnNames: ['activity_type', 'timestamp'] }),
    );
    await queryRunner.createIndex(
      'user_activities',
      new TableIndex({ name: 'idx_user_activities_page_time', columnNames: ['page_url', 'timestamp'] }),
    );
  }
}
