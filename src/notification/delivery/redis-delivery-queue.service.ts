import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { Clock } from '../../common/clock';
import type { DeliveryConfig } from '../../config/delivery.config';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeliveryJobRepository } from '../repositories/delivery-job.repository';
import { CHANNEL_PROVIDERS, ChannelProvider } from './channel-provider';
import type { DeliveryQueue, PendingDelivery } from './delivery-queue';
import { DELIVERY_SETTINGS } from './delivery-settings';
import { DeliveryWorkerService } from './delivery-worker.service';

const QUEUE_NAME = 'deliveries';
/** How long a worker holds a job row; a crashed worker's jobs are taken up again after it. */
const LEASE_MS = 5 * 60_000;
/** How often the relay hands due rows to BullMQ (repairing any enqueue lost to a crash). */
const RELAY_INTERVAL_MS = 5_000;

/**
 * BullMQ on Redis as the delivery queue (when REDIS_URL is set). The job row in the notification
 * database stays the truth: a BullMQ job only says "look at this row at this time", a worker
 * leases the row before delivering, and a relay re-offers due rows, so a lost or duplicated
 * BullMQ job can neither lose nor double a delivery. Any number of `npm run worker` processes
 * share the work.
 */
@Injectable()
export class RedisDeliveryQueueService implements DeliveryQueue, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RedisDeliveryQueue');
  private queue: Queue | null = null;
  private worker: Worker | null = null;
  private relay: NodeJS.Timeout | null = null;

  constructor(
    private readonly deliveryWorker: DeliveryWorkerService,
    private readonly jobs: DeliveryJobRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliveryConfig,
    @Inject(CHANNEL_PROVIDERS) private readonly providers: ChannelProvider[],
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const redis = this.settings.redis;
    if (!redis) return;
    const connection = { url: redis.url, maxRetriesPerRequest: null };
    this.queue = new Queue(QUEUE_NAME, { connection, prefix: redis.prefix });
    if (!this.settings.worker) return;
    this.worker = new Worker(QUEUE_NAME, (job: Job<{ notificationId: string }>) => this.deliver(job.data.notificationId), {
      connection,
      prefix: redis.prefix,
      concurrency: this.settings.concurrency,
    });
    this.worker.on('error', (error) => this.logger.error(`BullMQ worker: ${error.message}`));
    await this.relayDue();
    this.relay = setInterval(() => void this.relayDue(), RELAY_INTERVAL_MS);
    this.relay.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.relay) clearInterval(this.relay);
    // Worker.close waits for the jobs in hand to finish; new ones are not taken.
    await this.worker?.close();
    await this.queue?.close();
    if (this.settings.redis) for (const provider of this.providers) provider.close?.();
  }

  async schedule(job: PendingDelivery): Promise<void> {
    if (!this.queue) return;
    const delay = Math.max(0, job.runAt.getTime() - this.clock.now().getTime());
    await this.queue.add(
      'deliver',
      { notificationId: job.notificationId },
      {
        // One BullMQ job per (attempt, due time): re-offering it is a no-op while it exists, and a
        // row whose time changed (a retry, a lease taken back) gets a job of its own. A stale job
        // that fires later finds its row taken or not due, and does nothing.
        jobId: `${job.notificationId}-${job.attempts}-${job.runAt.getTime()}`,
        delay,
        priority: job.priority + 1,
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    );
  }

  private async deliver(notificationId: string): Promise<void> {
    const now = this.clock.now();
    const job = await this.transactions.run((tx) => this.jobs.claimOne(tx, notificationId, now, new Date(now.getTime() + LEASE_MS)));
    if (!job) return; // another worker has it, it is done, or its retry is not due yet
    const settled = await this.deliveryWorker.process(job);
    if (settled.state === 'pending') await this.schedule(settled);
  }

  /** Offers every due row to BullMQ and takes back rows whose worker died. */
  private async relayDue(): Promise<void> {
    try {
      const now = this.clock.now();
      await this.transactions.run((tx) => this.jobs.releaseExpired(tx, now));
      for (const job of await this.jobs.findDue(this.transactions.reads, now, 1000)) await this.schedule(job);
    } catch (error) {
      this.logger.error(`Relaying due deliveries failed: ${(error as Error).message}`);
    }
  }
}
