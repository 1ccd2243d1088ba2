import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Per-user revocation of user tokens: a "not before" time checked on every request. */
export class AddUserTokenRevocations1764290000000 implements MigrationInterface {
  name = 'AddUserTokenRevocations1764290000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'user_token_revocations',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'revoked_at', type: timestamp },
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_token_revocations');
  }
}
