import { ApiProperty } from '@nestjs/swagger';
import type { NotificationDelivery } from '../entities/notification-delivery.entity';

export class DeliveryDto {
  /** @example 1 */
  @ApiProperty({ type: 'integer' })
  attempt: number;
  /** @example "smtp:mail.example.com" */
  provider: string;
  /** @example "2026-11-26T09:00:00.000Z" */
  started_at: string;
  /** @example "2026-11-26T09:00:00.250Z" */
  /** Null while the attempt is in flight. */
  finished_at: string | null;
  /** sent | delivered | retry | failed. @example "sent" */
  outcome: string;
  /** The provider's HTTP (or SMTP) status. @example 202 */
  @ApiProperty({ type: 'integer' })
  status_code: number | null;
  provider_message_id: string | null;
  error: string | null;
}

export class DeliveriesResponseDto {
  /** @example true */
  success: boolean;
  notification_id: string;
  /** @example "sent" */
  status: string;
  deliveries: DeliveryDto[];
}

export function toDeliveryDto(delivery: NotificationDelivery): DeliveryDto {
  return {
    attempt: delivery.attempt,
    provider: delivery.provider,
    started_at: delivery.startedAt.toISOString(),
    finished_at: delivery.finishedAt ? delivery.finishedAt.toISOString() : null,
    outcome: delivery.outcome,
    status_code: delivery.statusCode,
    provider_message_id: delivery.providerMessageId,
    error: delivery.error,
  };
}
