import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Sessions a bot started explicitly are kept flagged, out of every figure, as its events already were. */
export class AddSessionBotFlag1764260000000 implements MigrationInterface {
  name = 'AddSessionBotFlag1764260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own spelling of a false default (0 in SQLite, false in PostgreSQL).
    const no = queryRunner.connection.driver.normalizeDefault({ default: false } as never);
    await queryRunner.addColumn('user_sessions', new TableColumn({ name: 'is_bot', type: 'boolean', default: no }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('user_sessions', 'is_bot');
  }
}
