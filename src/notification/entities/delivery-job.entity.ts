import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const DELIVERY_JOB_STATES = ['pending', 'running', 'done', 'failed'] as const;
export type DeliveryJobState = (typeof DELIVERY_JOB_STATES)[number];

/**
 * The embedded durable queue: one row per notification still to deliver, written in the same
 * transaction as the notification, so an acknowledged send is never lost.
 */
@Entity('delivery_jobs')
@Index('idx_delivery_jobs_due', ['state', 'priority', 'runAt'])
export class DeliveryJob {
  @PrimaryColumn({ name: 'notification_id', type: 'varchar', length: 36 })
  notificationId: string;

  /** 0 urgent, 1 high, 2 normal, 3 low: lower goes first. */
  @Column({ type: 'integer' })
  priority: number;

  @Column({ name: 'run_at', type: Date })
  runAt: Date;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 10 })
  state: DeliveryJobState;

  /** A running job whose lease passed belongs to a worker that died; it is taken up again. */
  @Column({ name: 'lease_until', type: Date, nullable: true })
  leaseUntil: Date | null;

  /** Targets already delivered (e.g. device token ids), so a retry does not send them twice. */
  @Column({ name: 'completed_targets', type: 'json' })
  completedTargets: string[];

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
