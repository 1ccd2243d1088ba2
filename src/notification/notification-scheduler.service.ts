import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NotificationService } from './notification.service';
import { InboxService } from './inbox/inbox.service';
import { DigestService } from './digest/digest.service';
import { StorageUnavailableException } from '../common/storage-unavailable.exception';

const RELEASE_INTERVAL_MS = 1000;

/**
 * Once a second: marks scheduled in-app notifications whose time has come as sent, and brings
 * into the inbox (and its counts) what is due there: scheduled notifications whose time came and
 * snoozed ones whose snooze ended (reading a user's inbox or counts brings theirs in at once);
 * and sends the digests whose window has ended.
 */
@Injectable()
export class NotificationSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSchedulerService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly notifications: NotificationService,
    private readonly inbox: InboxService,
    private readonly digests: DigestService,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), RELEASE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    const release = async () => {
      await this.notifications.releaseDueInApp();
      await this.inbox.relistDue();
      await this.digests.sendDue();
    };
    this.running = release().catch((error: unknown) => {
      // A full or failing disk is logged once per burst by the DatabaseMonitor, not every tick.
      if (error instanceof StorageUnavailableException) return;
      this.logger.error('Releasing scheduled notifications failed', error instanceof Error ? error.stack : String(error));
    });
  }
}
