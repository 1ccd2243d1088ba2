import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { DeliveryJob } from '../entities/delivery-job.entity';
import type { NotificationChannel } from '../entities/notification.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeliveryJobRepository } from '../repositories/delivery-job.repository';
import { NotificationRepository } from '../repositories/notification.repository';
import { ChannelRegistry } from './channel-registry';
import { DELIVERY_QUEUE } from './delivery-queue';
import type { DeliveryQueue } from './delivery-queue';

/** Most failed notifications one bulk retry re-drives; call again for more. */
export const MAX_BULK_RETRY = 1000;

/**
 * Sends failed notifications again (an operator's decision, after a receiver's outage outlasted
 * the retries): each gets a fresh set of DELIVERY_MAX_ATTEMPTS attempts, recorded after its
 * earlier ones, and is `queued` again. Webhooks keep their webhook-id, so a receiver that got one
 * after all can tell.
 */
@Injectable()
export class RedeliveryService {
  private readonly logger = new Logger(RedeliveryService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly jobs: DeliveryJobRepository,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly channels: ChannelRegistry,
  ) {}

  async retry(notificationId: string): Promise<void> {
    const redriven = await this.transactions.run(async (manager) => {
      const notification = await this.notifications.findById(notificationId, manager);
      if (!notification)
        throw new NotFoundException({ code: 'notification_not_found', message: `Notification ${notificationId} does not exist` });
      const job = await this.jobs.findByNotification(notificationId, manager);
      if (notification.status !== 'failed' || !job || job.state !== 'failed') {
        throw new ConflictException({
          code: 'not_failed',
          message: `Notification ${notificationId} is ${notification.status}: only a failed one can be retried`,
        });
      }
      return this.requeue(job, manager);
    });
    await this.offer([redriven]);
  }

  /** Re-drives the failed notifications created in [from, to), of one channel or all. */
  async retryFailed(filter: { from: Date; to: Date; channel?: NotificationChannel }): Promise<string[]> {
    if (filter.channel !== undefined) this.channels.assertKnown('channel', filter.channel, { queued: true });
    const redriven = await this.transactions.run(async (manager) => {
      const failed = await this.jobs.findFailed(filter, MAX_BULK_RETRY, manager);
      const out: DeliveryJob[] = [];
      for (const job of failed) out.push(await this.requeue(job, manager));
      return out;
    }, MAX_BULK_RETRY);
    await this.offer(redriven);
    return redriven.map((job) => job.notificationId);
  }

  private async requeue(job: DeliveryJob, manager: EntityManager): Promise<DeliveryJob> {
    const now = this.clock.now();
    Object.assign(job, { state: 'pending', attempts: 0, runAt: now, leaseUntil: null, updatedAt: now });
    await this.jobs.save(job, manager);
    await this.notifications.recordDeliveryOutcome(job.notificationId, { status: 'queued', error: null }, manager);
    return job;
  }

  /** After the commit, as a send does: a queue failure is repaired by the relay, the row being the truth. */
  private async offer(jobs: DeliveryJob[]): Promise<void> {
    for (const job of jobs) {
      await this.queue
        .schedule(job)
        .catch((error: Error) =>
          this.logger.warn(`Queueing ${job.notificationId} failed (the relay will offer it again): ${error.message}`),
        );
    }
  }
}
