import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Ingest: client event ids (exactly-once), anonymous ids, receive time, context, bot flag; session entry/exit. */
export class AddIngest1764170000000 implements MigrationInterface {
  name = 'AddIngest1764170000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    // Likewise the driver's own spelling of a false default (0 in SQLite, false in PostgreSQL).
    const no = queryRunner.connection.driver.normalizeDefault({ default: false } as never);
    await queryRunner.addColumns('user_activities', [
      new TableColumn({ name: 'event_id', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'anonymous_id', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'received_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'context', type: 'json', isNullable: true }),
      new TableColumn({ name: 'is_bot', type: 'boolean', default: no }),
      new TableColumn({ name: 'timestamp_clamped', type: 'boolean', default: no }),
    ]);
    await queryRunner.createIndex(
      'user_activities',
      new TableIndex({ name: 'uq_user_activities_event', columnNames: ['user_id', 'event_id'], isUnique: true }),
    );
    await queryRunner.addColumns('user_sessions', [
      new TableColumn({ name: 'last_activity_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'entry_page', type: 'varchar', length: '2048', isNullable: true }),
      new TableColumn({ name: 'exit_page', type: 'varchar', length: '2048', isNullable: true }),
    ]);
    // For the reaper that closes sessions gone quiet.
    await queryRunner.createIndex(
      'user_sessions',
      new TableIndex({ name: 'idx_user_sessions_open', columnNames: ['end_time', 'last_activity_at'] }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('user_sessions', 'idx_user_sessions_open');
    await queryRunner.dropColumns('user_sessions', ['exit_page', 'entry_page', 'last_activity_at']);
    await queryRunner.dropIndex('user_activities', 'uq_user_activities_event');
    await queryRunner.dropColumns('user_activities', ['timestamp_clamped', 'is_bot', 'context', 'received_at', 'anonymous_id', 'event_id']);
  }
}
