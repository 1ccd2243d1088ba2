import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * The real-time stream's tables: each user's inbox events (kept 24 hours, at most 1,000 a user)
 * for resuming with Last-Event-ID, the id of each user's last event, and single-use stream
 * tickets.
 */
export class InboxEvents1764600000000 implements MigrationInterface {
  name = 'InboxEvents1764600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'inbox_events',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'type', type: 'varchar', length: '30' },
          { name: 'data', type: 'text' },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createIndex('inbox_events', new TableIndex({ name: 'idx_inbox_events_created', columnNames: ['created_at'] }));
    await queryRunner.createTable(
      new Table({
        name: 'inbox_event_heads',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'last_event_id', type: 'integer', default: 0 },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'stream_tickets',
        columns: [
          { name: 'ticket_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'expires_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createIndex('stream_tickets', new TableIndex({ name: 'idx_stream_tickets_expires', columnNames: ['expires_at'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('stream_tickets');
    await queryRunner.dropTable('inbox_event_heads');
    await queryRunner.dropTable('inbox_events');
  }
}
