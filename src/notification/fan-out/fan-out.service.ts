import { HttpException, Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { Clock } from '../../common/clock';
import { OutboundPolicy } from '../../common/outbound/outbound-policy';
import { validationFailed } from '../../common/validation/validation.pipe';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { DeliveryPlannerService } from '../delivery/delivery-planner.service';
import { recipientDataErrors } from '../delivery/recipients';
import type { FanOutDto, FanOutResponseDto, FanOutResultDto } from '../dto/fan-out.dto';
import type { DeliveryJob } from '../entities/delivery-job.entity';
import type { Notification } from '../entities/notification.entity';
import { hashRequest, IdempotencyService, type RememberedAnswer } from '../idempotency/idempotency.service';
import { NotificationStore } from '../notification-store.service';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { PreferenceService } from '../preferences/preference.service';
import { NotificationTypeRepository } from '../repositories/notification-type.repository';
import { NotificationRepository } from '../repositories/notification.repository';
import { TopicSubscriptionRepository } from '../repositories/topic-subscription.repository';
import { InboxEventsService } from '../stream/inbox-events.service';
import { NotificationContentService } from '../templates/notification-content.service';

/** Recipients stored per transaction: a bounded hold on the write lock, and a bounded loss of work to a crash. */
const CHUNK = 500;

/** The namespace of the notification ids a fan-out under an Idempotency-Key derives (UUID v5). */
const FAN_OUT_ID_NAMESPACE = '6f2b8c1e-0f4a-4d5e-9a57-2f1d3c4b5a69';

export type FanOutResult = { answer: RememberedAnswer; replayed: boolean };

/**
 * One notification to many users: a list of up to 1,000, or a topic's subscribers. Each recipient
 * is judged on their own (preferences, an address on the channel, their locale), and what goes
 * out is stored exactly as a single send stores it (NotificationStore), 500 recipients per
 * transaction.
 *
 * Under an Idempotency-Key each recipient's notification id is derived from the key and the user
 * (UUID v5), so a retry after a crash part-way stores only the recipients the first attempt did
 * not reach; once the fan-out finishes, its answer is replayed for 24 hours like a send's.
 */
@Injectable()
export class FanOutService {
  constructor(
    private readonly content: NotificationContentService,
    private readonly preferences: PreferenceService,
    private readonly planner: DeliveryPlannerService,
    private readonly idempotency: IdempotencyService,
    private readonly store: NotificationStore,
    private readonly notifications: NotificationRepository,
    private readonly types: NotificationTypeRepository,
    private readonly subscriptions: TopicSubscriptionRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly events: InboxEventsService,
    private readonly clock: Clock,
    private readonly outbound: OutboundPolicy,
  ) {}

  async fanOut(dto: FanOutDto, idempotencyKey?: string): Promise<FanOutResult> {
    if ((dto.user_ids === undefined) === (dto.topic === undefined)) {
      const message = 'give exactly one of user_ids and topic';
      throw validationFailed([
        { field: 'user_ids', messages: [message] },
        { field: 'topic', messages: [message] },
      ]);
    }
    const dataErrors = recipientDataErrors(dto.data, this.outbound);
    if (dataErrors.length > 0) throw validationFailed(dataErrors);
    const requestHash = idempotencyKey ? hashRequest(dto) : '';
    if (idempotencyKey) {
      const earlier = await this.idempotency.earlierAnswer(this.transactions.reads, idempotencyKey, requestHash);
      if (earlier) return { answer: earlier, replayed: true };
    }

    const results: FanOutResultDto[] = [];
    let first = true;
    for await (const chunk of this.recipients(dto)) {
      // The request's own mistakes (an unknown template, a bad channel) are a 4xx before anything is stored.
      if (first && chunk.length > 0) await this.content.resolve(this.transactions.reads, { ...dto, user_id: chunk[0] });
      first = false;
      results.push(...(await this.deliverChunk(dto, chunk, idempotencyKey)));
    }
    const stored = results.filter((r) => r.notification_id !== null).length;
    const body: FanOutResponseDto = {
      success: true,
      recipients: results.length,
      stored,
      suppressed: results.filter((r) => r.status === 'suppressed').length,
      undeliverable: results.filter((r) => r.status === 'undeliverable').length,
      ...(dto.user_ids ? { results } : {}),
    };
    const answer = { statusCode: stored > 0 ? 201 : 200, body: body as unknown as Record<string, unknown> };
    if (idempotencyKey) {
      await this.transactions.run((tx) => this.idempotency.rememberAnswer(tx, idempotencyKey, requestHash, null, answer));
    }
    return { answer, replayed: false };
  }

  /** The recipients in chunks: the list as given, or the topic's subscribers page by page. */
  private async *recipients(dto: FanOutDto): AsyncGenerator<string[]> {
    if (dto.user_ids) {
      for (let i = 0; i < dto.user_ids.length; i += CHUNK) yield dto.user_ids.slice(i, i + CHUNK);
      return;
    }
    let after: string | undefined;
    for (;;) {
      const page = await this.subscriptions.page(this.transactions.reads, dto.topic!, after, CHUNK);
      if (page.length === 0) return;
      yield page.map((subscription) => subscription.userId);
      if (page.length < CHUNK) return;
      after = page[page.length - 1].userId;
    }
  }

  private async deliverChunk(dto: FanOutDto, userIds: string[], idempotencyKey?: string): Promise<FanOutResultDto[]> {
    const now = this.clock.now();
    const results: FanOutResultDto[] = [];
    const drafts: Array<{ result: FanOutResultDto; notification: Notification }> = [];
    const categories = new Map<string, string | null>();
    for (const userId of userIds) {
      let notification: Notification;
      try {
        const content = await this.content.resolve(this.transactions.reads, { ...dto, user_id: userId });
        const preference = await this.preferences.resolve(
          userId,
          content.notificationType,
          content.channel,
          content.defaultEnabled ?? undefined,
        );
        if (!preference.enabled) {
          const reason = this.preferences.suppressionReason(userId, content.notificationType, content.channel, preference);
          results.push({ user_id: userId, status: 'suppressed', notification_id: null, reason });
          continue;
        }
        await this.planner.assertDeliverable(this.transactions.reads, content.channel, userId, dto.data ?? null);
        if (!categories.has(content.notificationType)) {
          const type = await this.types.findByType(this.transactions.reads, content.notificationType);
          categories.set(content.notificationType, content.category ?? type?.category ?? null);
        }
        const id = idempotencyKey ? uuidv5(`${idempotencyKey}\u0000${userId}`, FAN_OUT_ID_NAMESPACE) : undefined;
        notification = this.store.draft(userId, content, dto, now, categories.get(content.notificationType) ?? null, id);
      } catch (error) {
        // This user has no address on the channel: the others may. (A channel with no provider
        // is the request's mistake, the same for everyone: it stays a 422.)
        if (!(error instanceof HttpException) || codeOf(error) !== 'no_recipient') throw error;
        results.push({ user_id: userId, status: 'undeliverable', notification_id: null, reason: messageOf(error) });
        continue;
      }
      const result: FanOutResultDto = { user_id: userId, status: notification.status, notification_id: notification.id };
      results.push(result);
      drafts.push({ result, notification });
    }
    const jobs: Array<DeliveryJob | null> = [];
    await this.events.run(async (tx, events) => {
      // A unit may run again (the group commit retries a batch): every outcome starts afresh.
      jobs.length = 0;
      for (const { result, notification } of drafts) {
        Object.assign(result, { status: notification.status, notification_id: notification.id });
        delete result.reason;
      }
      for (const { result, notification } of drafts) {
        // Stored by an earlier attempt under the same key, which stopped part-way: kept as it is.
        const earlier = idempotencyKey ? await this.notifications.findById(tx, notification.id) : null;
        if (earlier) result.status = earlier.status;
        else {
          const stored = await this.store.store(tx, notification);
          if (stored.dropped !== null) {
            Object.assign(result, { status: 'suppressed', notification_id: null, reason: stored.dropped });
            continue;
          }
          jobs.push(stored.job);
          // In the inbox now (not scheduled for later): the user's streams hear of it after the commit.
          if (notification.relistAt === null) await events.created(notification);
        }
      }
    }, drafts.length);
    await this.store.enqueue(jobs);
    return results;
  }
}

function codeOf(error: HttpException): unknown {
  const response = error.getResponse();
  return typeof response === 'object' && response !== null && 'code' in response ? response.code : undefined;
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  return typeof response === 'object' && response !== null && 'message' in response ? String(response.message) : error.message;
}
