import { BeforeApplicationShutdown, Inject, Injectable, Logger, type MessageEvent, Optional } from '@nestjs/common';
import type { UserTokenBounds } from '../../auth/principal';
import { UserTokenService } from '../../auth/user-token.service';
import { Clock } from '../../common/clock';
import type { ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import { Observable, type Subscriber } from 'rxjs';
import type { DeliveryConfig } from '../../config/delivery.config';
import { DELIVERY_SETTINGS } from '../delivery/delivery-settings';
import { toCountsEventData, type ResetEventData } from './dto/stream.dto';
import { toCountsDto } from '../dto/inbox.dto';
import type { InboxEvent } from './inbox-event';
import { InboxEventFeed } from './inbox-event-feed';
import { type InboxCatchUp, InboxEventsService } from './inbox-events.service';

/** How long a browser waits before reconnecting a dropped stream (the `retry:` line), in ms. */
export const STREAM_RETRY_MS = 3000;

/** Longest shutdown waits for the streams it ended to be sent their end. */
const SHUTDOWN_WAIT_MS = 1000;

/** The HTTP exchange a stream is sent on. */
export interface StreamConnection {
  /** Aborted when the stream ends, whichever way (the client left, or it completed). */
  signal: AbortSignal;
  response: ServerResponse;
  /** The user token it was opened with (directly, or by the ticket it asked for): the stream ends with it. */
  token?: UserTokenBounds;
}

/**
 * Users' inbox streams (Server-Sent Events). A stream opens with where the client stands, then
 * follows the user's events live:
 * - a new client gets `counts` (the badge, no request needed), its id the user's last event's;
 * - a client resuming after an event (Last-Event-ID) gets exactly the events it missed, or
 *   `reset` when some are no longer kept (it refetches), or `counts` when it missed nothing;
 * - then every event as it is published, and a heartbeat comment that keeps proxies from
 *   closing an idle connection.
 * Every message but the heartbeat carries an id, so an EventSource always resumes exactly.
 */
@Injectable()
export class NotificationStreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationStreamService.name);
  private readonly streams = new Map<Subscriber<MessageEvent>, ServerResponse>();

  constructor(
    private readonly events: InboxEventsService,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliveryConfig,
    private readonly clock: Clock,
    @Optional() private readonly userTokens?: UserTokenService,
  ) {}

  /**
   * The stream of a user's inbox, resumed after `lastEventId` when given. Resolves once its
   * opening is read, so a failure before then is an ordinary error answer.
   */
  async open(userId: string, lastEventId: number | undefined, connection: StreamConnection): Promise<Observable<MessageEvent>> {
    // Listening starts before the opening is read: an event published in between is held, and
    // dropped if the opening already had it.
    const feed = new InboxEventFeed((afterId) => this.events.catchUp(userId, afterId));
    const unsubscribe = this.events.subscribe(userId, feed);
    const release = () => {
      feed.close();
      unsubscribe();
    };
    connection.signal.addEventListener('abort', release, { once: true });
    let opening: InboxCatchUp;
    try {
      opening = await this.events.catchUp(userId, lastEventId);
    } catch (error) {
      release();
      throw error;
    }
    const messages = openingMessages(lastEventId, opening);
    messages[0] = { ...messages[0], retry: STREAM_RETRY_MS };
    return new Observable<MessageEvent>((subscriber) => {
      this.streams.set(subscriber, connection.response);
      for (const message of messages) subscriber.next(message);
      feed.start(opening.lastId, {
        send: (event) => subscriber.next(eventMessage(event)),
        reset: (caught) => subscriber.next(resetMessage(caught)),
        fail: (error) => {
          // Its client reconnects, with the id of the last event it got.
          this.logger.warn(`Ending ${userId}'s stream, whose missed events could not be read: ${(error as Error)?.message ?? error}`);
          subscriber.complete();
        },
      });
      const openedAt = this.clock.now();
      const heartbeat = setInterval(() => {
        void this.tokenEnded(userId, connection.token, openedAt).then(
          (ended) => (ended ? subscriber.complete() : subscriber.next({ comment: 'heartbeat' })),
          () => subscriber.next({ comment: 'heartbeat' }),
        );
      }, this.settings.stream.heartbeatMs);
      return () => {
        clearInterval(heartbeat);
        this.streams.delete(subscriber);
        release();
      };
    });
  }

  /**
   * Whether the user token a stream was opened with has ended since: expired, or revoked (every
   * token of the user refused). Checked at each heartbeat, so a stream outlives its token by at
   * most one heartbeat interval; its client's reconnect then needs a new token or ticket.
   */
  private async tokenEnded(userId: string, token: UserTokenBounds | undefined, openedAt: Date): Promise<boolean> {
    if (!token) return false;
    if (this.clock.now() >= token.expiresAt) return true;
    return (await this.userTokens?.revokedSince(userId, token.issuedAt ?? openedAt)) ?? false;
  }

  /**
   * Ends the open streams (their clients reconnect, to another process or after the restart),
   * and waits until they are sent: the HTTP server closes only once its connections are idle,
   * and an open stream's would otherwise keep it waiting for the keep-alive timeout.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const ended = [...this.streams].map(([subscriber, response]) => {
      subscriber.complete();
      return finished(response).catch(() => undefined);
    });
    if (ended.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ended), new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)))]);
    clearTimeout(timer);
  }
}

function openingMessages(lastEventId: number | undefined, opening: InboxCatchUp): MessageEvent[] {
  if (lastEventId !== undefined && !opening.complete) return [resetMessage(opening)];
  if (opening.events.length > 0) return opening.events.map(eventMessage);
  return [{ id: String(opening.lastId), type: 'counts', data: JSON.stringify(toCountsEventData(opening.counts, null)) }];
}

function eventMessage(event: InboxEvent): MessageEvent {
  return { id: String(event.id), type: event.type, data: event.data };
}

function resetMessage(caught: InboxCatchUp): MessageEvent {
  const data: ResetEventData = { counts: toCountsDto(caught.counts) };
  return { id: String(caught.lastId), type: 'reset', data: JSON.stringify(data) };
}
