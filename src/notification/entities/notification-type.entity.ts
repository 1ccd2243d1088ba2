import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DigestFrequency, ThrottleExcess } from '../digest/digest-frequency';

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

  /** How often users get it off the in-app channel unless they choose: `instant`, or gathered hourly, daily or weekly. */
  @Column({ type: 'varchar', length: 10, default: 'instant' })
  digest: DigestFrequency;

  /** At most this many per user per clock hour on each channel; null: no cap. */
  @Column({ name: 'throttle_per_hour', type: 'integer', nullable: true })
  throttlePerHour: number | null;

  /** What becomes of the sends past the cap. */
  @Column({ name: 'throttle_excess', type: 'varchar', length: 10, default: 'digest' })
  throttleExcess: ThrottleExcess;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
