import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The event_id uniqueness index holds only events that have an event_id. Events sent without one
 * (the most common case) had an entry each all the same, at a random place of the index (it leads
 * with user_id): one more B-tree page written per tracked event, for nothing to check.
 */
export class PartialEventIndex1764220000000 implements MigrationInterface {
  name = 'PartialEventIndex1764220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_activities', 'uq_user_activities_event');
    await queryRunner.createIndex(
      'user_activities',
      new TableIndex({
        name: 'uq_user_activities_event',
        columnNames: ['user_id', 'event_id'],
        isUnique: true,
        where: '"event_id" IS NOT NULL',
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_activities', 'uq_user_activities_event');
    await queryRunner.createIndex(
      'user_activities',
      new TableIndex({ name: 'uq_user_activities_event', columnNames: ['user_id', 'event_id'], isUnique: true }),
    );
  }
}
