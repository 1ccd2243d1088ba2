import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** What identify and group calls say: user traits, groups with their traits, and memberships. */
export class AddTraitsAndGroups1764270000000 implements MigrationInterface {
  name = 'AddTraitsAndGroups1764270000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The driver's own type for a JS Date keeps these files portable across databases.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
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
  }
}
