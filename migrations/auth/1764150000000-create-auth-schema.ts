import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Auth database v1: hashed API keys and generated secrets. */
export class CreateAuthSchema1764150000000 implements MigrationInterface {
  name = 'CreateAuthSchema1764150000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });

    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'scope', type: 'varchar', length: '10' },
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'key_prefix', type: 'varchar', length: '16' },
          { name: 'created_at', type: timestamp },
          { name: 'last_used_at', type: timestamp, isNullable: true },
          { name: 'revoked_at', type: timestamp, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'uq_api_keys_hash', columnNames: ['key_hash'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'auth_secrets',
        columns: [
          { name: 'name', type: 'varchar', length: '50', isPrimary: true },
          { name: 'value', type: 'varchar', length: '200' },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_secrets');
    await queryRunner.dropTable('api_keys');
  }
}
