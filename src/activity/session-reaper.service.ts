import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { SessionTrackerService } from './session-tracker.service';

const REAP_INTERVAL_MS = 60_000;

/** Once a minute, closes sessions quiet for longer than the session timeout. */
@Injectable()
export class SessionReaperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionReaper');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tracker: SessionTrackerService,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.reap().catch((error: Error) => this.logger.error(`Closing stale sessions failed: ${error.message}`));
    }, REAP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Closes the sessions gone quiet by now; returns how many. */
  reap(): Promise<number> {
    const now = this.clock.now();
    return this.transactions.run((tx) => this.tracker.closeStale(tx, now));
  }
}
