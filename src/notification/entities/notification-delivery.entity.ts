import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `in_flight` while the provider is being called (the row is written first); `unknown` when the
 * process stopped during the call, so whether it arrived cannot be told (it is sent again, with
 * the same webhook-id).
 */
export const DELIVERY_OUTCOMES = ['sent', 'delivered', 'retry', 'failed', 'in_flight', 'unknown'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** One attempt to deliver a notification through a provider, kept for the record. */
@Entity('notification_deliveries')
@Index('idx_notification_deliveries_notification', ['notificationId', 'attempt'])
export class NotificationDelivery {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'notification_id', type: 'varchar', length: 36 })
  notificationId: string;

  @Column({ type: 'integer' })
  attempt: number;

  /** The provider that answered last in this attempt (after any failover). */
  @Column({ type: 'varchar', length: 100 })
  provider: string;

  @Column({ name: 'started_at', type: Date })
  startedAt: Date;

  /** Null while the attempt is in flight. */
  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'varchar', length: 10 })
  outcome: DeliveryOutcome;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ name: 'provider_message_id', type: 'varchar', length: 255, nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
