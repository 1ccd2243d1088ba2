import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Per-locale variants of a template's title and body. The primary key (template_id, locale) is
 * the only index: it serves the send's lookup of a few locales, the list of one template's
 * variants in locale order, and deleting them with the template.
 */
export class AddTemplateLocales1764700000000 implements MigrationInterface {
  name = 'AddTemplateLocales1764700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'notification_template_locales',
        columns: [
          { name: 'template_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'locale', type: 'varchar', length: '35', isPrimary: true },
          { name: 'title_template', type: 'varchar', length: '1000' },
          { name: 'message_template', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_template_locales');
  }
}
