import { Inject, Injectable } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ApiErrorDetail } from '../../common/api-error';
import { Clock } from '../../common/clock';
import type { JsonObject } from '../../common/json';
import { flattenValidationErrors, validationFailed } from '../../common/validation/validation.pipe';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { ActivityService } from '../activity.service';
import { ACTIVITY_TRANSACTIONS } from '../activity.tokens';
import { MAX_EVENT_BYTES } from '../dto/activity.dto';
import { IdentityService } from '../identity.service';
import type { Principal } from '../../auth/principal';
import type { ClientInfo } from '../ingest/client-info';
import { endUserContextErrors } from '../ingest/end-user';
import { TraitsService } from '../traits.service';
import {
  isSegmentType,
  SEGMENT_MESSAGE_TYPES,
  SegmentEnvelope,
  SegmentOperation,
  SegmentType,
  toOperation,
  withTextIds,
} from './segment-mapping';
import { SegmentBatchDto, SegmentMessageDto } from './segment-message.dto';
import type { Tx } from '../../database/engine/tx';

/**
 * Segment's HTTP Tracking API on Engage's model. A call is all or nothing: every message is
 * checked first, and one bad message is a 400 naming it, with nothing stored; the messages of an
 * accepted call are stored in order in one transaction (identify before the track that follows).
 */
@Injectable()
export class SegmentService {
  constructor(
    private readonly activities: ActivityService,
    private readonly identities: IdentityService,
    private readonly traits: TraitsService,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** One message posted to its own endpoint (/v1/track…): the path says its type. */
  async receive(type: SegmentType, raw: unknown, client: ClientInfo, principal: Principal | undefined): Promise<void> {
    const checked = await this.check(type, raw, {}, '');
    if (Array.isArray(checked)) throw validationFailed(checked);
    await this.store([checked], client, principal);
  }

  /** A batch (/v1/batch, /v1/import): each message names its type. */
  async receiveBatch(raw: unknown, client: ClientInfo, principal: Principal | undefined): Promise<void> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw validationFailed([{ field: 'body', messages: ['body must be a JSON object with a batch array'] }]);
    const envelope = plainToInstance(SegmentBatchDto, raw);
    const envelopeErrors = await validate(envelope, { forbidUnknownValues: false });
    if (envelopeErrors.length > 0) throw validationFailed(flattenValidationErrors(envelopeErrors));
    const operations: SegmentOperation[] = [];
    const errors: ApiErrorDetail[] = [];
    for (const [index, message] of envelope.batch.entries()) {
      const field = `batch[${index}]`;
      const type = (message as { type?: unknown } | null)?.type;
      if (!isSegmentType(type)) {
        errors.push({
          field: `${field}.type`,
          messages: [`${field}.type must be one of ${Object.keys(SEGMENT_MESSAGE_TYPES).join(', ')}`],
        });
        continue;
      }
      const checked = await this.check(type, message, { sentAt: envelope.sentAt, context: envelope.context }, `${field}.`);
      if (Array.isArray(checked)) errors.push(...checked);
      else operations.push(checked);
    }
    if (errors.length > 0) throw validationFailed(errors);
    await this.store(operations, client, principal);
  }

  private async check(
    type: SegmentType,
    raw: unknown,
    envelope: SegmentEnvelope,
    prefix: string,
  ): Promise<SegmentOperation | ApiErrorDetail[]> {
    const prefixed = (details: ApiErrorDetail[]) =>
      details.map((detail) => ({ field: `${prefix}${detail.field}`, messages: detail.messages.map((m) => `${prefix}${m}`) }));
    // The message as a whole: `batch[3]` in a batch, the body on its own endpoint.
    const whole = prefix ? prefix.slice(0, -1) : 'body';
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return [{ field: whole, messages: [`${whole} must be a JSON object`] }];
    if (Buffer.byteLength(JSON.stringify(raw), 'utf8') > MAX_EVENT_BYTES) {
      return [{ field: whole, messages: [`${whole} must be at most ${MAX_EVENT_BYTES} bytes as JSON (Segment's limit per message)`] }];
    }
    const dto: ClassConstructor<SegmentMessageDto> = SEGMENT_MESSAGE_TYPES[type];
    const message = plainToInstance(dto, withTextIds(raw as Record<string, unknown>));
    const errors = await validate(message, { forbidUnknownValues: false });
    if (errors.length > 0) return prefixed(flattenValidationErrors(errors));
    const contextErrors = endUserContextErrors({ ...envelope.context, ...message.context });
    if (contextErrors.length > 0) return prefixed(contextErrors);
    const operation = toOperation(type, message, envelope);
    return Array.isArray(operation) ? prefixed(operation) : operation;
  }

  private async store(operations: SegmentOperation[], client: ClientInfo, principal: Principal | undefined): Promise<void> {
    this.activities.refuseWhenOverloaded();
    const receivedAt = this.clock.now();
    // Only a secret admin key may merge one known user into another (see IdentityService.aliasIn).
    const mergeUsers = principal?.kind === 'api_key' && principal.scope === 'admin';
    await this.transactions.run(async (tx) => {
      for (const operation of operations) await this.apply(tx, operation, client, receivedAt, mergeUsers);
    }, operations.length);
  }

  private async apply(tx: Tx, operation: SegmentOperation, client: ClientInfo, receivedAt: Date, mergeUsers: boolean): Promise<void> {
    switch (operation.kind) {
      case 'activity': {
        const outcome = await this.activities.ingest(tx, operation.event, client, receivedAt, operation.sentAt);
        if (outcome.status === 'rejected') throw outcome.error ?? validationFailed(outcome.errors);
        return;
      }
      case 'identify':
        if (operation.userId !== undefined && operation.anonymousId !== undefined) {
          await this.identities.identifyIn(tx, {
            anonymous_id: operation.anonymousId,
            user_id: operation.userId,
            traits: operation.traits,
          });
        } else if (operation.traits) {
          await this.traits.mergeUserTraits(tx, await this.userKey(tx, operation), operation.traits, receivedAt);
        }
        return;
      case 'alias':
        await this.identities.aliasIn(tx, operation.previousId, operation.userId, mergeUsers);
        return;
      case 'group':
        await this.traits.joinGroup(tx, await this.userKey(tx, operation), operation.groupId, operation.traits, receivedAt);
        return;
    }
  }

  /** Whom a message is about: its userId, else the user its anonymousId was identified as, else the anonymous key. */
  private async userKey(tx: Tx, ids: { userId: string | undefined; anonymousId: string | undefined }): Promise<string> {
    if (ids.userId !== undefined) return ids.userId;
    return this.identities.resolve(tx, ids.anonymousId as string);
  }
}

/**
 * The settings analytics.js loads from `{cdnURL}/v1/projects/{writeKey}/settings`: its Segment.io
 * destination pointed at this host, and nothing else. Any other integration, remote plugin or
 * middleware listed here makes analytics.js fetch code from Segment's CDN.
 */
export function analyticsJsSettings(writeKey: string, apiHost: string, protocol: string): JsonObject {
  return {
    integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol } },
    // Its usage counters would go to Segment's own API: a self-hosted install reports to no one.
    metrics: { sampleRate: 0 },
  };
}
