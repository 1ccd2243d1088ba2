import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Idempotency records name their user, so erasure can drop them (earlier records name none and expire within 24 hours). */
export class AddIdempotencyUser1764300000000 implements MigrationInterface {
  name = 'AddIdempotencyUser1764300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('idempotency_keys', new TableColumn({ name: 'user_id', type: 'varchar', length: '255', isNullable: true }));
    await queryRunner.createIndex('idempotency_keys', new TableIndex({ name: 'idx_idempotency_keys_user', columnNames: ['user_id'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('idempotency_keys', 'idx_idempotency_keys_user');
    await queryRunner.dropColumn('idempotency_keys', 'user_id');
  }
}
