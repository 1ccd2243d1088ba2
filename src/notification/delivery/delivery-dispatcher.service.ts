import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { DeliveryConfig } from '../../config/delivery.config';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeliveryJobRepository } from '../repositories/delivery-job.repository';
import { CHANNEL_PROVIDERS, ChannelProvider } from './channel-provider';
import type { DeliveryQueue } from './delivery-queue';
import { DELIVERY_SETTINGS } from './delivery-settings';
import { DeliveryWorkerService } from './delivery-worker.service';
import { StorageUnavailableException } from '../../common/storage-unavailable.exception';

/** How long a claimed job belongs to this process before another may take it up. */
const LEASE_MS = 5 * 60_000;

/**
 * The embedded queue's dispatcher: takes due jobs from the notification database (most urgent
 * first), runs up to DELIVERY_CONCURRENCY at once, and sleeps until the next one is due or a
 * send wakes it. At boot it resumes jobs an earlier process left running; at shutdown it stops
 * taking jobs and lets the ones in hand finish.
 */
@Injectable()
export class DeliveryDispatcherService implements DeliveryQueue, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryDispatcher');
  private readonly inFlight = new Set<Promise<unknown>>();
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;

  constructor(
    private readonly worker: DeliveryWorkerService,
    private readonly jobs: DeliveryJobRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliveryConfig,
    @Inject(CHANNEL_PROVIDERS) private readonly providers: ChannelProvider[],
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // With Redis, BullMQ workers deliver instead; a process that is not a worker delivers nothing.
    if (this.settings.redis || !this.settings.worker) return;
    const resumed = await this.transactions.run((tx) => this.jobs.releaseRunning(tx, this.clock.now()));
    if (resumed > 0) this.logger.log(`Resuming ${resumed} delivery job(s) left unfinished by an earlier process`);
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    if (!this.settings.redis) for (const provider of this.providers) provider.close?.();
  }

  /** Wakes the dispatcher now (a job was just queued) instead of at the next poll. */
  async schedule(): Promise<void> {
    this.notify();
  }

  private notify(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const free = this.settings.concurrency - this.inFlight.size;
        const now = this.clock.now();
        const claimed =
          free > 0 ? await this.transactions.run((tx) => this.jobs.claimDue(tx, now, free, new Date(now.getTime() + LEASE_MS))) : [];
        for (const job of claimed) {
          const task = this.worker
            .process(job)
            .catch((error: unknown) => this.logger.error(`Delivery of ${job.notificationId} failed unexpectedly`, (error as Error).stack))
            .finally(() => {
              this.inFlight.delete(task);
              this.notify();
            });
          this.inFlight.add(task);
        }
        if (claimed.length === 0 || this.inFlight.size >= this.settings.concurrency) await this.sleep();
      } catch (error) {
        // A full or failing disk is logged once per burst by the DatabaseMonitor, not every poll.
        if (!(error instanceof StorageUnavailableException)) this.logger.error('Dispatching deliveries failed', (error as Error).stack);
        await this.sleep();
      }
    }
  }

  private async sleep(): Promise<void> {
    const next = this.inFlight.size >= this.settings.concurrency ? null : await this.jobs.nextRunAt(this.transactions.reads);
    const untilNext = next ? Math.max(0, next.getTime() - this.clock.now().getTime()) : this.settings.pollMs;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(untilNext, this.settings.pollMs));
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }
}
