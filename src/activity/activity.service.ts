import { HttpException, Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Clock } from '../common/clock';
import type { ClientInfo } from './ingest/client-info';
import { IdGenerator } from '../common/id-generator';
import { findBadStrings, flattenValidationErrors, validationFailed } from '../common/validation/validation.pipe';
import type { ApiErrorDetail } from '../common/api-error';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { AnalyticsService } from './analytics.service';
import { MAX_EVENT_BYTES, TrackActivityDto, TrackBatchDto } from './dto/activity.dto';
import { UserActivity } from './entities/user-activity.entity';
import { resolveEventTime } from './ingest/event-time';
import { parseUserAgent } from './ingest/user-agent';
import { endUserContextErrors, endUserOf } from './ingest/end-user';
import { contextWithCampaign, referrerOf } from './ingest/legacy-metadata';
import { UserActivityRepository } from './repositories/user-activity.repository';
import { IdentityService } from './identity.service';
import { ACTIVITY_SETTINGS } from './activity-settings';
import type { ActivitySettings } from './activity-settings';
import { OverloadedException } from '../common/overloaded.exception';
import { SessionTrackerService } from './session-tracker.service';
import type { Tx } from '../database/engine/tx';

export type IngestOutcome =
  | { status: 'accepted'; activityId: string; sessionId: string | null }
  | { status: 'duplicate'; activityId: string; sessionId: string | null }
  | { status: 'rejected'; errors: ApiErrorDetail[]; error?: HttpException };

@Injectable()
export class ActivityService {
  constructor(
    private readonly activities: UserActivityRepository,
    private readonly tracker: SessionTrackerService,
    private readonly analytics: AnalyticsService,
    private readonly identities: IdentityService,
    @Inject(ACTIVITY_SETTINGS) private readonly settings: ActivitySettings,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /**
   * Stores one activity and, in the same transaction, counts it in its session and in the
   * user's analytics, so the three never disagree. A repeated event_id stores nothing.
   */
  async track(
    dto: TrackActivityDto,
    client: ClientInfo,
    ownerId: string | null = null,
  ): Promise<Exclude<IngestOutcome, { status: 'rejected' }>> {
    this.refuseWhenOverloaded();
    const contextErrors = endUserContextErrors(dto.context);
    if (contextErrors.length > 0) throw validationFailed(contextErrors);
    const receivedAt = this.clock.now();
    const outcome = await this.transactions.run((tx) => this.ingest(tx, dto, client, receivedAt, undefined, ownerId));
    if (outcome.status === 'rejected') throw outcome.error ?? validationFailed(outcome.errors);
    return outcome;
  }

  /**
   * Stores a batch: each event is validated and judged on its own (one bad event does not sink
   * the rest), and all accepted events are stored in one transaction.
   */
  async batch(dto: TrackBatchDto, client: ClientInfo, ownerId: string | null): Promise<IngestOutcome[]> {
    this.refuseWhenOverloaded();
    const receivedAt = this.clock.now();
    const sentAt = dto.sent_at ? new Date(dto.sent_at) : undefined;
    const checked = await Promise.all(dto.batch.map((raw) => this.checkEvent(raw, ownerId)));
    return this.transactions.run(async (tx) => {
      const outcomes: IngestOutcome[] = [];
      for (const event of checked) {
        outcomes.push('errors' in event ? event : await this.ingest(tx, event, client, receivedAt, sentAt, ownerId));
      }
      return outcomes;
    }, checked.length);
  }

  /** Past this many queued writes, answering 429 now beats answering late or running out of memory. */
  refuseWhenOverloaded(): void {
    if (this.transactions.pending >= this.settings.maxPendingWrites) throw new OverloadedException(1);
  }

  private async checkEvent(
    raw: unknown,
    ownerId: string | null,
  ): Promise<TrackActivityDto | Extract<IngestOutcome, { status: 'rejected' }>> {
    const reject = (errors: ApiErrorDetail[]) => ({ status: 'rejected' as const, errors });
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return reject([{ field: 'event', messages: ['event must be a JSON object'] }]);
    if (Buffer.byteLength(JSON.stringify(raw), 'utf8') > MAX_EVENT_BYTES) {
      return reject([{ field: 'event', messages: [`event must be at most ${MAX_EVENT_BYTES} bytes as JSON`] }]);
    }
    const badStrings = findBadStrings(raw);
    if (badStrings.length > 0) return reject(badStrings);
    const event = plainToInstance(TrackActivityDto, raw);
    const errors = await validate(event, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) return reject(flattenValidationErrors(errors));
    const contextErrors = endUserContextErrors(event.context);
    if (contextErrors.length > 0) return reject(contextErrors);
    if (ownerId !== null && event.user_id !== undefined && event.user_id !== ownerId) {
      return reject([{ field: 'user_id', messages: ["a user token can only track its own user's events"] }]);
    }
    return event;
  }

  /**
   * Stores one validated event inside the caller's transaction. `client` is the end user as the
   * request shows them; the event's context may name them instead (a backend passing them on).
   * `ownerId`, a user token's user, owns every event it sends: one with only an anonymous_id is
   * theirs (the anonymous id is kept), never that of whoever the anonymous id was identified as.
   */
  async ingest(...args: Parameters<ActivityService['ingestEvent']>): Promise<IngestOutcome> {
    const outcome = await this.ingestEvent(...args);
    this.metrics?.ingestedEvents.inc({ outcome: outcome.status });
    return outcome;
  }

  private async ingestEvent(
    tx: Tx,
    dto: TrackActivityDto,
    client: ClientInfo,
    receivedAt: Date,
    sentAt: Date | undefined,
    ownerId: string | null = null,
  ): Promise<IngestOutcome> {
    // Whose events: the token's user; else the user's, or an anonymous visitor's (the identified user's, once identified).
    const userId = ownerId ?? dto.user_id ?? (await this.identities.resolve(tx, dto.anonymous_id as string));
    if (dto.event_id) {
      const earlier = await this.activities.findByEventId(tx, userId, dto.event_id);
      if (earlier) return { status: 'duplicate', activityId: earlier.id, sessionId: earlier.sessionId };
    }
    const { timestamp, clamped } = resolveEventTime(receivedAt, dto.timestamp ? new Date(dto.timestamp) : undefined, sentAt);
    const pageUrl = dto.page_url ?? null;
    const endUser = endUserOf(dto.context, client);
    // Only an end user's User-Agent says whether a bot sent the event: a backend's says nothing.
    const userAgent = parseUserAgent(endUser.userAgent);

    // Bots are stored (flagged) but kept out of sessions and analytics. Their session_id is still
    // checked: whether a request is valid never depends on its User-Agent.
    let sessionId: string | null = null;
    try {
      if (!userAgent.is_bot) {
        const session = await this.tracker.attach(
          tx,
          { userId, timestamp, pageUrl, sessionId: dto.session_id ?? null },
          endUser,
          userAgent,
        );
        sessionId = session.id;
      } else if (dto.session_id) {
        await this.tracker.named(tx, dto.session_id, userId);
      }
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500) {
        const response = error.getResponse() as { details?: ApiErrorDetail[]; message?: string };
        return {
          status: 'rejected',
          errors: response.details ?? [{ field: 'session_id', messages: [response.message ?? error.message] }],
          error,
        };
      }
      throw error;
    }
    const activity = Object.assign(new UserActivity(), {
      id: this.ids.next(),
      userId,
      activityType: dto.activity_type,
      timestamp,
      sessionId,
      metadata: dto.metadata ?? null,
      ipAddress: endUser.ipAddress,
      userAgent: endUser.userAgent,
      referrer: referrerOf(dto.referrer, dto.metadata),
      pageUrl,
      eventId: dto.event_id ?? null,
      anonymousId: dto.anonymous_id ?? null,
      receivedAt,
      context: contextWithCampaign(dto.context, dto.metadata),
      isBot: userAgent.is_bot,
      timestampClamped: clamped,
    });
    await this.activities.insert(tx, activity);
    if (!userAgent.is_bot) await this.analytics.recordActivity(tx, { ...activity, deviceType: userAgent.device_type });
    return { status: 'accepted', activityId: activity.id, sessionId };
  }
}
