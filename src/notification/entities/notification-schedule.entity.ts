import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { QuietWindow } from '../schedule/quiet-hours';

/** When a user does not want to be disturbed: weekly quiet hours in their timezone, and a pause. */
@Entity('notification_schedules')
export class NotificationSchedule {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  /** IANA timezone of the quiet hours; null: the contact's timezone, else UTC. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @Column({ name: 'quiet_hours', type: 'json' })
  quietHours: QuietWindow[];

  /** Do not disturb until then (a pause of all non-urgent notifications). */
  @Column({ name: 'paused_until', type: Date, nullable: true })
  pausedUntil: Date | null;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
