import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Whether a user wants one type of notification on one channel. `*` matches any type or channel. */
@Entity('notification_preferences')
export class NotificationPreference {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @PrimaryColumn({ name: 'notification_type', type: 'varchar', length: 100 })
  notificationType: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  channel: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
