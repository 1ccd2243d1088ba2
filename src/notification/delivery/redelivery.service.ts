import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
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
import type { Tx } from '../../database/engine/tx';

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
    const redriven = await this.transactions.run(async (tx) => {
      const notification = await this.notifications.findById(tx, notificationId);
      if (!notification)
        throw new NotFoundException({ code: 'notification_not_found', message: `Notification ${notificationId} does not exist` });
      const job = await this.jobs.findByNotification(tx, notificationId);
      if (notification.status !== 'failed' || !job || job.state !== 'failed') {
        throw new ConflictException({
          code: 'not_failed',
          message: `Notification ${notificationId} is ${notification.status}: only a failed one can be retried`,
        });
      }
      return this.requeue(tx, job);
    });
    await this.offer([redriven]);
  }

  /** Re-drives the failed notifications created in [from, to), of one channel or all. */
  async retryFailed(filter: { from: Date; to: Date; channel?: NotificationChannel }): Promise<string[]> {
    if (filter.channel !== undefined) this.channels.assertKnown('channel', filter.channel, { queued: true });
    const redriven = await this.transactions.run(async (tx) => {
      const failed = await this.jobs.findFailed(tx, filter, MAX_BULK_RETRY);
      const out: DeliveryJob[] = [];
      for (const job of failed) out.push(await this.requeue(tx, job));
      return out;
    }, MAX_BULK_RETRY);
    await this.offer(redriven);
    return redriven.map((job) => job.notificationId);
  }

  private async requeue(tx: Tx, job: DeliveryJob): Promise<DeliveryJob> {
    const now = this.clock.now();
    Object.assign(job, { state: 'pending', attempts: 0, runAt: now, leaseUntil: null, updatedAt: now });
    await this.jobs.save(tx, job);
    await this.notifications.recordDeliveryOutcome(tx, job.notificationId, { status: 'queued', error: null });
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
