import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many notifications of a throttled type went out to a user on a channel in the current
 * clock hour: one row per user, type and channel, restarted when the hour changes.
 */
@Entity('throttle_counters')
export class ThrottleCounter {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @PrimaryColumn({ name: 'notification_type', type: 'varchar', length: 100 })
  notificationType: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  channel: string;

  /** The start of the hour `sent` counts in. */
  @Column({ name: 'window_start', type: Date })
  windowStart: Date;

  @Column({ type: 'integer' })
  sent: number;
}
