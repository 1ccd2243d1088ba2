import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { ACTIVITY_SETTINGS } from './activity-settings';
import type { ActivitySettings } from './activity-settings';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { UserDataRepository } from './repositories/user-data.repository';

const PURGE_INTERVAL_MS = 6 * 3600_000;
const PURGE_CHUNK = 5_000;

/**
 * With ACTIVITY_RETENTION_DAYS set, deletes raw events older than that at boot and every six
 * hours, in small transactions so tracking is never held up. Aggregates and rollups stay.
 */
@Injectable()
export class ActivityRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActivityRetention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly data: UserDataRepository,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
    @Inject(ACTIVITY_SETTINGS) private readonly settings: ActivitySettings,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.retentionDays) return;
    const run = () => {
      this.running = this.purge().catch((error: Error) => this.logger.error(`Purging old events failed: ${error.message}`));
    };
    run();
    this.timer = setInterval(run, PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Deletes the events older than the retention period; returns how many. */
  async purge(): Promise<number> {
    if (!this.settings.retentionDays) return 0;
    const cutoff = new Date(this.clock.now().getTime() - this.settings.retentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const deleted = await this.transactions.run((tx) => this.data.purgeActivitiesBefore(tx, cutoff, PURGE_CHUNK));
      total += deleted;
      if (deleted < PURGE_CHUNK) return total;
    }
  }
}
