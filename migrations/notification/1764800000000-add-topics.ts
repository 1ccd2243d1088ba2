import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Topics: who is subscribed to what, for sends that fan out to every subscriber. */
export class AddTopics1764800000000 implements MigrationInterface {
  name = 'AddTopics1764800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'topic_subscriptions',
        columns: [
          { name: 'topic_key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'created_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'idx_topic_subscriptions_user', columnNames: ['user_id'] })],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('topic_subscriptions');
  }
}
