import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** The anonymous ids identified as a user: read by export and erasure, rewritten by alias. */
export class AddIdentitiesUserIndex1764280000000 implements MigrationInterface {
  name = 'AddIdentitiesUserIndex1764280000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('identities', new TableIndex({ name: 'idx_identities_user', columnNames: ['user_id'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('identities', 'idx_identities_user');
  }
}
