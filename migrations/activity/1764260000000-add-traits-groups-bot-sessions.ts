import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * The Segment protocol's identify and group calls keep what they say (user traits, groups and
 * memberships); sessions a bot started explicitly are kept flagged, out of every figure, as its
 * events already were.
 */
export class AddTraitsGroupsBotSessions1764260000000 implements MigrationInterface {
  name = 'AddTraitsGroupsBotSessions1764260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    // The driver's own spelling of a false default (0 in SQLite, false in PostgreSQL).
    const no = queryRunner.connection.driver.normalizeDefault({ default: false } as never);
    await queryRunner.addColumn('user_sessions', new TableColumn({ name: 'is_bot', type: 'boolean', default: no }));
    await queryRunner.createTable(
      new Table({
        name: 'user_traits',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'traits', type: 'json' },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_groups',
        columns: [
          { name: 'group_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'traits', type: 'json' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_group_members',
        columns: [
          { name: 'group_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'joined_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'idx_user_group_members_user', columnNames: ['user_id'] })],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_group_members');
    await queryRunner.dropTable('user_groups');
    await queryRunner.dropTable('user_traits');
    await queryRunner.dropColumn('user_sessions', 'is_bot');
  }
}
