import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A delivery attempt is recorded before the provider is called: no finish time while in flight. */
export class DeliveryAttemptInFlight1764310000000 implements MigrationInterface {
  name = 'DeliveryAttemptInFlight1764310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.changeColumn(
      'notification_deliveries',
      'finished_at',
      new TableColumn({ name: 'finished_at', type: timestamp, isNullable: true }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.query(`UPDATE "notification_deliveries" SET "finished_at" = "started_at" WHERE "finished_at" IS NULL`);
    await queryRunner.changeColumn(
      'notification_deliveries',
      'finished_at',
      new TableColumn({ name: 'finished_at', type: timestamp, isNullable: false }),
    );
  }
}
