/** What a stream tells of: a notification that came into the inbox, changed or went, or new counts. */
export const INBOX_EVENT_TYPES = ['notification.created', 'notification.updated', 'notification.deleted', 'counts'] as const;
export type InboxEventType = (typeof INBOX_EVENT_TYPES)[number];

/** How much of a user's events is kept for resuming: the last 1,000, for 24 hours at most. */
export const INBOX_EVENT_LOG_LIMITS = { maxPerUser: 1000, maxAgeMs: 24 * 3600 * 1000 } as const;

/**
 * One event of a user's inbox, as every stream of that user sends it. `id` is the user's own
 * sequence (1, 2, 3…), given in the transaction of the change, so a stream sees at once whether
 * it missed one.
 */
export interface InboxEvent {
  userId: string;
  id: number;
  type: InboxEventType;
  /** JSON text of the event's data (shapes in dto/stream.dto.ts), sent as it was logged. */
  data: string;
}
