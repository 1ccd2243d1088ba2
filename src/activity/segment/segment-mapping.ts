import type { ApiErrorDetail } from '../../common/api-error';
import type { JsonObject, JsonValue } from '../../common/json';
import { PAGE_VIEW } from '../analytics-rules';
import { TrackActivityDto } from '../dto/activity.dto';
import {
  SegmentAliasDto,
  SegmentGroupDto,
  SegmentIdentifyDto,
  SegmentMessageDto,
  SegmentPageDto,
  SegmentScreenDto,
  SegmentTrackDto,
} from './segment-message.dto';

/** The message types of Segment's Tracking API, and the DTO that validates each. */
export const SEGMENT_MESSAGE_TYPES = {
  track: SegmentTrackDto,
  page: SegmentPageDto,
  screen: SegmentScreenDto,
  identify: SegmentIdentifyDto,
  alias: SegmentAliasDto,
  group: SegmentGroupDto,
} as const;

export type SegmentType = keyof typeof SEGMENT_MESSAGE_TYPES;

export function isSegmentType(value: unknown): value is SegmentType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SEGMENT_MESSAGE_TYPES, value);
}

/** The activity type of a screen call (a page call is a PAGE_VIEW, as in the native API). */
export const SCREEN_VIEW_TYPE = 'screen_view';

/**
 * The paths of each call under /v1: Segment's own name and the one letter analytics.js posts to.
 * The controller routes them and the body parser gives them their limits, from this one list.
 */
export const SEGMENT_PATHS = {
  track: ['track', 't'],
  page: ['page', 'p'],
  screen: ['screen', 's'],
  identify: ['identify', 'i'],
  alias: ['alias', 'a'],
  group: ['group', 'g'],
  batch: ['batch', 'b', 'import'],
} as const;

/** What one Segment message asks Engage to do. */
export type SegmentOperation =
  | { kind: 'activity'; event: TrackActivityDto; sentAt: Date | undefined }
  | { kind: 'identify'; userId: string | undefined; anonymousId: string | undefined; traits: JsonObject | undefined }
  | { kind: 'alias'; previousId: string; userId: string }
  | { kind: 'group'; userId: string | undefined; anonymousId: string | undefined; groupId: string; traits: JsonObject };

/** What a batch's envelope gives every message in it. */
export interface SegmentEnvelope {
  sentAt?: string;
  context?: JsonObject;
}

const ID_FIELDS = ['userId', 'anonymousId', 'previousId', 'groupId'] as const;

/**
 * A raw message with its ids as text or absent: Segment's libraries accept `userId: 42` and its
 * API stores "42", so clients written against it send numbers; analytics.js sends `userId: null`
 * until the visitor is identified.
 */
export function withTextIds(raw: Record<string, unknown>): Record<string, unknown> {
  const out = { ...raw };
  for (const field of ID_FIELDS) {
    if (typeof out[field] === 'number' && Number.isFinite(out[field])) out[field] = String(out[field]);
    if (out[field] === null) delete out[field];
  }
  return out;
}

const MAX_URL = 2048;

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function objectAt(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** The first of the named places holding a non-empty string, and which it was. */
function firstText(candidates: Array<[field: string, value: JsonValue | undefined]>): { field: string; value: string } | undefined {
  for (const [field, value] of candidates) {
    const found = text(value);
    if (found !== undefined) return { field, value: found };
  }
  return undefined;
}

/**
 * Maps a validated message onto Engage's model (see the README's table). Returns the errors that
 * only the mapping can see (a missing id, an over-long URL) instead.
 */
export function toOperation(type: SegmentType, message: SegmentMessageDto, envelope: SegmentEnvelope): SegmentOperation | ApiErrorDetail[] {
  const context = envelope.context || message.context ? { ...envelope.context, ...message.context } : undefined;
  if (type === 'alias') {
    const alias = message as SegmentAliasDto;
    if (alias.userId === undefined) return [{ field: 'userId', messages: ['userId is required for alias'] }];
    return { kind: 'alias', previousId: alias.previousId, userId: alias.userId };
  }
  if (message.userId === undefined && message.anonymousId === undefined) {
    return [{ field: 'userId', messages: ['userId or anonymousId is required'] }];
  }
  if (type === 'identify') {
    const identify = message as SegmentIdentifyDto;
    return { kind: 'identify', userId: identify.userId, anonymousId: identify.anonymousId, traits: identify.traits };
  }
  if (type === 'group') {
    const group = message as SegmentGroupDto;
    return { kind: 'group', userId: group.userId, anonymousId: group.anonymousId, groupId: group.groupId, traits: group.traits ?? {} };
  }

  const withProperties = message as SegmentTrackDto | SegmentPageDto | SegmentScreenDto;
  const properties = withProperties.properties;
  const page = objectAt(context?.page);
  let activityType: string;
  let metadata: JsonObject | undefined = properties;
  let pageUrl: { field: string; value: string } | undefined;
  let referrer: { field: string; value: string } | undefined;
  if (type === 'track') {
    activityType = (message as SegmentTrackDto).event;
    // Where the event happened: it counts in the session's pages, as a native event's page_url does.
    pageUrl = firstText([
      ['context.page.url', page?.url],
      ['context.page.path', page?.path],
    ]);
  } else {
    const named = message as SegmentPageDto | SegmentScreenDto;
    const extra: JsonObject = {};
    if (named.name !== undefined) extra.name = named.name;
    if (type === 'page' && (named as SegmentPageDto).category !== undefined) extra.category = (named as SegmentPageDto).category as string;
    metadata = Object.keys(extra).length > 0 ? { ...extra, ...properties } : properties;
    if (type === 'page') {
      activityType = PAGE_VIEW;
      pageUrl = firstText([
        ['properties.url', properties?.url],
        ['properties.path', properties?.path],
        ['context.page.url', page?.url],
        ['context.page.path', page?.path],
      ]);
      referrer = firstText([
        ['properties.referrer', properties?.referrer],
        ['context.page.referrer', page?.referrer],
      ]);
    } else {
      activityType = SCREEN_VIEW_TYPE;
    }
  }
  const tooLong = [pageUrl, referrer].filter((found) => found !== undefined && found.value.length > MAX_URL);
  if (tooLong.length > 0)
    return tooLong.map((found) => ({ field: found!.field, messages: [`${found!.field} must be at most ${MAX_URL} characters`] }));

  const event = Object.assign(new TrackActivityDto(), {
    user_id: message.userId,
    anonymous_id: message.anonymousId,
    event_id: message.messageId,
    timestamp: message.timestamp ?? message.originalTimestamp,
    activity_type: activityType,
    page_url: pageUrl?.value,
    referrer: referrer?.value,
    metadata,
    context,
  });
  const sentAt = message.sentAt ?? envelope.sentAt;
  return { kind: 'activity', event, sentAt: sentAt ? new Date(sentAt) : undefined };
}
