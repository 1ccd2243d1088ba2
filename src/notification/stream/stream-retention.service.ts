import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { StorageUnavailableException } from '../../common/storage-unavailable.exception';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { INBOX_EVENT_LOG_LIMITS } from './inbox-event';
import { InboxEventLogRepository } from './inbox-event-log.repository';
import { StreamTicketService } from './stream-ticket.service';

const SWEEP_INTERVAL_MS = 60_000;
/** Events deleted per transaction: a sweep after a busy day does not hold the database for long. */
const SWEEP_BATCH = 1000;

/**
 * Once a minute: deletes inbox events past the log's 24 hours and tickets that expired unused.
 * (The 1,000-a-user bound is kept as events are written; streams never read past 24 hours, so
 * this is only about space.)
 */
@Injectable()
export class StreamRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StreamRetentionService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: InboxEventLogRepository,
    private readonly tickets: StreamTicketService,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.sweep().catch((error: unknown) => {
        if (error instanceof StorageUnavailableException) return;
        this.logger.error('Sweeping old inbox events failed', error instanceof Error ? error.stack : String(error));
      });
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is past keeping; returns how many events went. */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - INBOX_EVENT_LOG_LIMITS.maxAgeMs);
    let deleted = 0;
    for (;;) {
      const batch = await this.transactions.run((tx) => this.log.deleteOlderThan(tx, cutoff, SWEEP_BATCH), SWEEP_BATCH);
      deleted += batch;
      if (batch < SWEEP_BATCH) break;
    }
    await this.tickets.purgeExpired();
    return deleted;
  }
}
