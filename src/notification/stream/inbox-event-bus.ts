import type { InboxEvent } from './inbox-event';

/** What a stream listens with: the user's events as they are published, and a call to look at the log again. */
export interface InboxEventListener {
  event(event: InboxEvent): void;
  /** Events may have been missed (Redis was away, or the subscription was not yet in place): catch up from the log. */
  resync(): void;
}

/**
 * Carries committed inbox events to the streams that are open: within this process, and with
 * Redis to every process of the deployment. Only a carrier: the log in the notification
 * database is the truth, which a stream falls back on whenever the carrier may have dropped one.
 */
export interface InboxEventBus {
  publish(events: InboxEvent[]): void;
  /** Listens to one user's events until the returned function is called. */
  subscribe(userId: string, listener: InboxEventListener): () => void;
}

/** DI token of the InboxEventBus in force: in-process, or Redis pub/sub when REDIS_URL is set. */
export const INBOX_EVENT_BUS = Symbol('INBOX_EVENT_BUS');
