import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Lets the retention purge find old events without scanning the table. */
export class AddActivityTimeIndex1764210000000 implements MigrationInterface {
  name = 'AddActivityTimeIndex1764210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('user_activities', new TableIndex({ name: 'idx_user_activities_time', columnNames: ['timestamp'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_activities', 'idx_user_activities_time');
  }
}
