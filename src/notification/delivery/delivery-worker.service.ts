import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service';
import { QuietHoursService } from '../schedule/quiet-hours.service';
import { DigestPolicyService } from '../digest/digest-policy.service';
import type { Tx } from '../../database/engine/tx';
import { InboxEventsService } from '../stream/inbox-events.service';
import type { InboxEventRecorder } from '../stream/inbox-event-recorder';
import { Clock } from '../../common/clock';
import { IdGenerator } from '../../common/id-generator';
import type { DeliveryConfig } from '../../config/delivery.config';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { DeliveryJob } from '../entities/delivery-job.entity';
import { NotificationDelivery } from '../entities/notification-delivery.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeliveryJobRepository } from '../repositories/delivery-job.repository';
import { DeviceTokenRepository } from '../repositories/device-token.repository';
import { NotificationDeliveryRepository } from '../repositories/notification-delivery.repository';
import { NotificationRepository } from '../repositories/notification.repository';
import { UserContactRepository } from '../repositories/user-contact.repository';
import type { ProviderResult } from './channel-provider';
import { ChannelRegistry } from './channel-registry';
import { DeliveryError } from './delivery-error';
import { DELIVERY_SETTINGS } from './delivery-settings';
import { recipientSources } from './recipient-sources';

/**
 * The delay before retry `attempt + 1`: exponential from DELIVERY_BACKOFF_MS, less up to 20% of
 * jitter (so retries of many messages spread out, yet the whole schedule keeps its length), or
 * Retry-After when longer. With the defaults (5 s, 10 attempts) the nine waits add up to 34–43
 * minutes: a receiver down for half an hour still gets every message.
 */
export function backoffDelay(baseMs: number, attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** (attempt - 1);
  const jittered = Math.round(exponential * (0.8 + random() * 0.2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Makes one delivery attempt for a job: tries the channel's providers in order (failing over
 * on retryable errors), records the attempt, and settles the job: done, retried later, or failed.
 */
@Injectable()
export class DeliveryWorkerService {
  private readonly logger = new Logger('Delivery');

  constructor(
    private readonly channels: ChannelRegistry,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliveryConfig,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly notifications: NotificationRepository,
    private readonly jobs: DeliveryJobRepository,
    private readonly deliveries: NotificationDeliveryRepository,
    private readonly contacts: UserContactRepository,
    private readonly devices: DeviceTokenRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly quietHours: QuietHoursService,
    private readonly policy: DigestPolicyService,
    private readonly events: InboxEventsService,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Returns the job as settled: `pending` again when a retry is due at `runAt`. */
  async process(job: DeliveryJob): Promise<DeliveryJob> {
    const notification = await this.notifications.findById(this.transactions.reads, job.notificationId);
    if (!notification) {
      await this.transactions.run((tx) => this.jobs.save(tx, Object.assign(job, { state: 'done', leaseUntil: null })));
      return job;
    }
    // Inside the user's quiet hours or pause (and neither urgent nor of a required type): it waits,
    // without an attempt, until they end.
    const due = this.clock.now();
    const release = await this.quietHours.releaseTime(this.transactions.reads, notification, due);
    if (release > due) {
      await this.transactions.run((tx) =>
        this.jobs.save(tx, Object.assign(job, { state: 'pending', runAt: release, leaseUntil: null, updatedAt: due })),
      );
      return job;
    }
    // Devices an earlier attempt reached are done: a retry goes to the rest.
    const sources = recipientSources(notification.userId, notification.data, {
      contact: () => this.contacts.findByUser(this.transactions.reads, notification.userId),
      devices: async () =>
        (await this.devices.findActiveByUser(this.transactions.reads, notification.userId)).filter(
          (d) => !job.completedTargets.includes(d.id),
        ),
    });
    const candidates = this.channels.ready(notification.channel);
    const attempt = job.attempts + 1;
    const startedAt = this.clock.now();
    // The attempt is on record before the provider is called: a process killed during the call
    // leaves it in flight, and whoever takes the job up next marks it unknown and sends again.
    const record = await this.events.run(async (tx, events) => {
      const stale = await this.deliveries.markInFlightUnknown(tx, notification.id, startedAt);
      if (stale > 0)
        this.logger.warn(`Notification ${notification.id}: ${stale} attempt(s) stopped in flight; their outcome is unknown, sending again`);
      const earlierAttempts = await this.deliveries.countForNotification(tx, notification.id);
      // Its first time out (not a retry, not a re-drive): its digest and its type's throttle say
      // whether it goes on its own. Judged in this transaction, so the throttle's count and the
      // attempt it lets out commit together.
      if (earlierAttempts === 0) {
        const routing = await this.policy.routeOutbound(tx, notification, startedAt);
        if (routing.kind !== 'send') {
          await this.jobs.save(tx, Object.assign(job, { state: 'done', leaseUntil: null, updatedAt: startedAt }));
          await this.announce(tx, events, notification.id);
          return null;
        }
      }
      const inFlight = Object.assign(new NotificationDelivery(), {
        id: this.ids.next(),
        notificationId: notification.id,
        // Numbered across the notification's life: a re-driven one goes on from its last.
        attempt: earlierAttempts + 1,
        provider: candidates[0]?.name ?? 'none',
        startedAt,
        finishedAt: null,
        outcome: 'in_flight',
        statusCode: null,
        providerMessageId: null,
        error: null,
      });
      await this.deliveries.insert(tx, inFlight);
      await this.jobs.save(tx, Object.assign(job, { attempts: attempt, updatedAt: startedAt }));
      return inFlight;
    });
    // Gathered into a digest or dropped by a throttle: its job is done without an attempt.
    if (record === null) return job;

    let result: ProviderResult | null = null;
    let failure: DeliveryError | null = null;
    let answeredBy = candidates[0]?.name ?? 'none';
    if (candidates.length === 0)
      failure = new DeliveryError(
        `No provider is configured for ${notification.channel}: ${this.channels.setupHint(notification.channel)}`,
        false,
      );
    for (const provider of candidates) {
      answeredBy = provider.name;
      try {
        const recipient = await provider.recipient(sources);
        if (recipient === null) throw new DeliveryError(`User ${notification.userId} has no ${provider.recipientHint}`, false);
        result = await provider.send({ notification, recipient });
        failure = null;
        break;
      } catch (error) {
        failure = error instanceof DeliveryError ? error : new DeliveryError(`${provider.name}: ${(error as Error).message}`, true);
        if (!failure.retryable) break; // a permanent answer will not change at the next provider
      }
    }

    const finishedAt = this.clock.now();
    const retry = failure !== null && failure.retryable && attempt < this.settings.maxAttempts;
    Object.assign(record, {
      provider: answeredBy,
      finishedAt,
      outcome: result ? result.outcome : retry ? 'retry' : 'failed',
      statusCode: result?.statusCode ?? failure?.statusCode ?? null,
      providerMessageId: result?.providerMessageId ?? failure?.providerMessageId ?? null,
      error: failure?.message.slice(0, 2000) ?? null,
    });
    const completedTargets = [...job.completedTargets, ...(result?.completedTargets ?? failure?.completedTargets ?? [])];

    await this.events.run(async (tx, events) => {
      await this.deliveries.update(tx, record);
      if (result) {
        await this.notifications.recordDeliveryOutcome(tx, notification.id, { status: result.outcome, sentAt: finishedAt });
        await this.jobs.save(
          tx,
          Object.assign(job, { state: 'done', attempts: attempt, leaseUntil: null, completedTargets, updatedAt: finishedAt }),
        );
      } else if (retry) {
        const runAt = new Date(finishedAt.getTime() + backoffDelay(this.settings.backoffMs, attempt, failure?.retryAfterMs ?? null));
        await this.jobs.save(
          tx,
          Object.assign(job, { state: 'pending', attempts: attempt, runAt, leaseUntil: null, completedTargets, updatedAt: finishedAt }),
        );
      } else {
        await this.notifications.recordDeliveryOutcome(tx, notification.id, {
          status: 'failed',
          error: failure?.message.slice(0, 2000) ?? 'failed',
        });
        await this.jobs.save(
          tx,
          Object.assign(job, { state: 'failed', attempts: attempt, leaseUntil: null, completedTargets, updatedAt: finishedAt }),
        );
      }
      // Sent or failed: its status changed (a retry leaves it queued).
      if (!retry) await this.announce(tx, events, notification.id);
    });
    this.metrics?.deliveryAttempts.inc({ channel: notification.channel, provider: answeredBy, outcome: record.outcome });
    this.metrics?.deliveryDuration.observe(
      { channel: notification.channel, provider: answeredBy },
      (finishedAt.getTime() - startedAt.getTime()) / 1000,
    );
    if (failure && !retry) this.logger.warn(`Notification ${notification.id} failed after ${attempt} attempt(s): ${failure.message}`);
    return job;
  }

  /**
   * Tells the user's streams that a notification's status changed (sent, failed, digested,
   * throttled), as it is now in this transaction: a read since the worker loaded it is kept.
   * One not yet come into the inbox (scheduled for later) is announced when it comes in.
   */
  private async announce(tx: Tx, events: InboxEventRecorder, id: string): Promise<void> {
    const current = await this.notifications.findById(tx, id);
    if (current && current.relistAt === null) await events.updated(current);
  }
}
