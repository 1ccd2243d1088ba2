import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { type InboxEvent, INBOX_EVENT_TYPES, type InboxEventType } from './inbox-event';
import type { InboxEventBus, InboxEventListener } from './inbox-event-bus';
import { LocalInboxEventBus } from './local-inbox-event-bus';

/** An event as it travels through Redis. */
interface WireEvent {
  origin: string;
  user_id: string;
  id: number;
  type: InboxEventType;
  data: string;
}

/**
 * The bus across the processes of a deployment (REDIS_URL): Redis pub/sub, one channel per user,
 * to which a process subscribes while it holds a stream of that user. A process hands its own
 * events to its own streams at once and skips them when Redis echoes them back.
 *
 * Pub/sub delivers at most once, and a message published while a subscriber is away is gone.
 * That loses no event: a stream sees the gap in its user's ids at the next one and reads what it
 * missed from the log, streams catch up when the subscriber reconnects, and a user's first
 * stream here catches up once its SUBSCRIBE is in place (what was published before that reached
 * no one here).
 */
export class RedisInboxEventBus implements InboxEventBus, OnApplicationShutdown {
  private readonly logger = new Logger(RedisInboxEventBus.name);
  private readonly local = new LocalInboxEventBus();
  /** Tells this process's own messages apart when Redis delivers them back. */
  private readonly origin = randomUUID();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(private readonly redis: { url: string; prefix: string }) {
    // Keep-alive notices a connection that hangs without closing (a network partition).
    this.publisher = new Redis(redis.url, { keepAlive: 10_000, enableAutoPipelining: true });
    this.subscriber = new Redis(redis.url, { keepAlive: 10_000 });
    this.subscriber.on('message', (_channel: string, message: string) => this.received(message));
    let subscribedBefore = false;
    this.subscriber.on('ready', () => {
      // ioredis subscribes again by itself; what was published meanwhile is only in the log.
      if (subscribedBefore) this.local.resync();
      subscribedBefore = true;
    });
    this.reportErrors(this.publisher, 'publisher');
    this.reportErrors(this.subscriber, 'subscriber');
  }

  publish(events: InboxEvent[]): void {
    this.local.publish(events);
    for (const event of events) {
      const wire: WireEvent = { origin: this.origin, user_id: event.userId, id: event.id, type: event.type, data: event.data };
      this.publisher
        .publish(this.channel(event.userId), JSON.stringify(wire))
        .catch((error: Error) =>
          this.logger.warn(`Publishing inbox event ${event.id} failed (other processes' streams catch up from the log): ${error.message}`),
        );
    }
  }

  subscribe(userId: string, listener: InboxEventListener): () => void {
    const stop = this.local.subscribe(userId, listener);
    const channel = this.channel(userId);
    if (this.local.listenerCount(userId) === 1) {
      this.subscriber.subscribe(channel).then(
        () => this.local.resync(userId),
        (error: Error) => this.logger.warn(`Subscribing to ${channel} failed: ${error.message}`),
      );
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      stop();
      if (this.local.listenerCount(userId) === 0) {
        this.subscriber
          .unsubscribe(channel)
          .catch((error: Error) => this.logger.warn(`Unsubscribing from ${channel} failed: ${error.message}`));
      }
    };
  }

  onApplicationShutdown(): void {
    // Not quit(): with Redis away it would wait in the offline queue. Events not yet published
    // are in the log, where the other processes' streams find them.
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private channel(userId: string): string {
    return `${this.redis.prefix}:inbox-events:${userId}`;
  }

  private received(message: string): void {
    let wire: Partial<WireEvent>;
    try {
      wire = JSON.parse(message) as Partial<WireEvent>;
    } catch {
      return;
    }
    if (wire.origin === this.origin) return;
    if (
      typeof wire.user_id !== 'string' ||
      typeof wire.id !== 'number' ||
      typeof wire.data !== 'string' ||
      !INBOX_EVENT_TYPES.includes(wire.type as InboxEventType)
    ) {
      this.logger.warn('Ignored a message on an inbox event channel that is not an inbox event');
      return;
    }
    this.local.publish([{ userId: wire.user_id, id: wire.id, type: wire.type as InboxEventType, data: wire.data }]);
  }

  /** Logs a connection's trouble once, not at every reconnection attempt, and its recovery. */
  private reportErrors(client: Redis, role: string): void {
    let failing = false;
    client.on('error', (error: Error) => {
      if (!failing) this.logger.warn(`Redis ${role} connection failed (retrying): ${error.message}`);
      failing = true;
    });
    client.on('ready', () => {
      if (failing) this.logger.log(`Redis ${role} connection is back`);
      failing = false;
    });
  }
}
