import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * No query reads user_activity_counters by count: the top-N lists are kept in user_analytics as
 * events arrive, and counters are read by their primary key. The (user_id, kind, count) index was
 * rewritten on every counter increment (an entry deleted and another inserted, twice per tracked
 * event with a page and a device) for nothing.
 */
export class DropCounterRankIndex1764230000000 implements MigrationInterface {
  name = 'DropCounterRankIndex1764230000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_activity_counters', 'idx_user_activity_counters_rank');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'user_activity_counters',
      new TableIndex({ name: 'idx_user_activity_counters_rank', columnNames: ['user_id', 'kind', 'count'] }),
    );
  }
}
