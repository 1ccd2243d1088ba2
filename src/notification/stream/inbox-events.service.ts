import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Tx } from '../../database/engine/tx';
import type { InboxCounts } from '../inbox/inbox-counts';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { InboxCounterRepository } from '../repositories/inbox-counter.repository';
import { type InboxEvent, INBOX_EVENT_LOG_LIMITS } from './inbox-event';
import { INBOX_EVENT_BUS, type InboxEventBus, type InboxEventListener } from './inbox-event-bus';
import { InboxEventLogRepository } from './inbox-event-log.repository';
import { InboxEventRecorder } from './inbox-event-recorder';

/**
 * Most data a stream replays, in characters. Nest drops a connection that has more than 4M
 * characters of events waiting for it (a client not reading); 1,000 notifications with their
 * full 32 kB of data would be past that, and the client would reconnect into the same replay.
 * Past this a `reset` (one page to refetch) is cheaper anyway.
 */
export const REPLAY_MAX_CHARS = 2_000_000;

/** What a stream needs to (re)start after an event: the events since, the user's counts, where the log stands. */
export interface InboxCatchUp {
  /** The id of the user's last event (0 before the first). */
  lastId: number;
  counts: InboxCounts;
  /** The events after the one asked about, oldest first. */
  events: InboxEvent[];
  /**
   * Whether `events` are all the events since, to be replayed: false when some are no longer kept
   * (past 24 hours or the last 1,000), the id asked about is not one the user's log ever reached,
   * or they are more than a stream replays (REPLAY_MAX_CHARS; the client refetches instead).
   */
  complete: boolean;
}

/**
 * The inbox's events: recorded in the transaction of each change, published once it commits,
 * and read back for streams that resume.
 */
@Injectable()
export class InboxEventsService {
  constructor(
    private readonly log: InboxEventLogRepository,
    private readonly counters: InboxCounterRepository,
    @Inject(INBOX_EVENT_BUS) private readonly bus: InboxEventBus,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * TransactionRunner.run with a recorder for the inbox events the work causes: they are written
   * to the log in the same transaction (a crash cannot keep a change and lose its event, nor the
   * reverse) and published only once it has committed (no stream hears of a change that was
   * rolled back). Resolves, like run, after the COMMIT.
   */
  async run<T>(work: (tx: Tx, events: InboxEventRecorder) => Promise<T>, weight?: number): Promise<T> {
    let recorder: InboxEventRecorder | undefined;
    const value = await this.transactions.run(
      (tx) => work(tx, (recorder = new InboxEventRecorder(tx, this.log, this.counters, this.clock.now()))),
      weight,
    );
    // Assigned inside the callback, which TypeScript's narrowing does not follow.
    const recorded = (recorder as InboxEventRecorder | undefined)?.recorded ?? [];
    if (recorded.length > 0) this.bus.publish(recorded);
    return value;
  }

  /** Listens to a user's events as they are published, until the returned function is called. */
  subscribe(userId: string, listener: InboxEventListener): () => void {
    return this.bus.subscribe(userId, listener);
  }

  /**
   * The user's events after `afterId` (none without it), their counts and last id, read together
   * in one transaction: only committed changes, all as of one moment.
   */
  catchUp(userId: string, afterId?: number): Promise<InboxCatchUp> {
    return this.transactions.run(async (tx) => {
      const lastId = await this.log.lastId(tx, userId);
      const counts = await this.counters.find(tx, userId);
      if (afterId === undefined || afterId >= lastId)
        return { lastId, counts, events: [], complete: afterId === undefined || afterId === lastId };
      const since = new Date(this.clock.now().getTime() - INBOX_EVENT_LOG_LIMITS.maxAgeMs);
      const events = await this.log.findAfter(tx, userId, afterId, since, INBOX_EVENT_LOG_LIMITS.maxPerUser);
      const complete =
        events.length > 0 &&
        events[0].id === afterId + 1 &&
        events[events.length - 1].id === lastId &&
        events.reduce((chars, event) => chars + event.data.length, 0) <= REPLAY_MAX_CHARS;
      return { lastId, counts, events, complete };
    });
  }
}
