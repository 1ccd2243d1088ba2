import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A notification type in the registry: whether users get it unless they say otherwise, whether
 * they may turn it off at all, and how a settings screen names it.
 */
@Entity('notification_types')
export class NotificationType {
  @PrimaryColumn({ name: 'notification_type', type: 'varchar', length: 100 })
  notificationType: string;

  @Column({ name: 'default_enabled', type: 'boolean' })
  defaultEnabled: boolean;

  @Column({ type: 'boolean' })
  required: boolean;

  @Column({ type: 'varchar', length: 100, nullable: true })
  label: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
