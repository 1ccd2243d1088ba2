import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Identify: which user an anonymous visitor id turned out to be. */
export class AddIdentities1764180000000 implements MigrationInterface {
  name = 'AddIdentities1764180000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'identities',
        columns: [
          { name: 'anonymous_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'traits', type: 'json', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('identities');
  }
}
