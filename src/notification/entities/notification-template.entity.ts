import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';
import type { NotificationChannel } from './notification.entity';

/** A reusable, named message with Handlebars placeholders for its title and body. */
@Entity('notification_templates')
@Index('uq_notification_templates_name', ['name'], { unique: true })
export class NotificationTemplate {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'title_template', type: 'varchar', length: 1000 })
  titleTemplate: string;

  @Column({ name: 'message_template', type: 'text' })
  messageTemplate: string;

  @Column({ type: 'json' })
  channels: NotificationChannel[];

  @Column({ type: 'varchar', length: 100, nullable: true })
  category: string | null;

  /**
   * Whether users get this template's type (its category, else its name) where they have stored
   * nothing and the type registry has no entry for it; null: enabled.
   */
  @Column({ name: 'default_enabled', type: 'boolean', nullable: true })
  defaultEnabled: boolean | null;

  @Column({ name: 'data_schema', type: 'json', nullable: true })
  dataSchema: JsonColumn | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
