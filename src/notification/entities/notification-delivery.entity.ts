import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const DELIVERY_OUTCOMES = ['sent', 'delivered', 'retry', 'failed'] as const;
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

  @Column({ name: 'finished_at', type: Date })
  finishedAt: Date;

  @Column({ type: 'varchar', length: 10 })
  outcome: DeliveryOutcome;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ name: 'provider_message_id', type: 'varchar', length: 255, nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
