import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A template's title and body in one locale. The template's other settings (channels, category,
 * data schema) are its own and apply in every locale; a send whose locale has no variant falls
 * back along its chain (`pt-BR` → `pt`) to the template's own text.
 */
@Entity('notification_template_locales')
export class NotificationTemplateLocale {
  @PrimaryColumn({ name: 'template_id', type: 'varchar', length: 36 })
  templateId: string;

  /** The canonical BCP 47 form (`pt-BR`), so equal tags are equal strings. */
  @PrimaryColumn({ type: 'varchar', length: 35 })
  locale: string;

  @Column({ name: 'title_template', type: 'varchar', length: 1000 })
  titleTemplate: string;

  @Column({ name: 'message_template', type: 'text' })
  messageTemplate: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
