import fc from 'fast-check';
import type { InboxEvent } from './inbox-event';
import { InboxEventFeed, type InboxEventSink } from './inbox-event-feed';
import type { InboxCatchUp } from './inbox-events.service';

const event = (id: number): InboxEvent => ({ userId: 'ada', id, type: 'notification.created', data: `{"n":${id}}` });
const NO_COUNTS = { total: 0, unread: 0, unseen: 0 };
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A user's log as the database holds it: every committed event, the oldest `kept` of them perhaps gone. */
class FakeLog {
  committed: InboxEvent[] = [];
  keptFrom = 1;
  reads = 0;

  commit(): InboxEvent {
    const next = event(this.committed.length + 1);
    this.committed.push(next);
    return next;
  }

  /** What InboxEventsService.catchUp answers, by its definition. */
  catchUp = async (afterId: number): Promise<InboxCatchUp> => {
    this.reads += 1;
    const lastId = this.committed.length;
    const events = this.committed.filter((e) => e.id > afterId && e.id >= this.keptFrom);
    const complete = afterId === lastId || (afterId < lastId && events[0]?.id === afterId + 1);
    return { lastId, counts: NO_COUNTS, events: afterId < lastId ? events : [], complete };
  };
}

function recordingSink(): InboxEventSink & { sent: number[]; resets: number[]; failures: unknown[] } {
  const sink = {
    sent: [] as number[],
    resets: [] as number[],
    failures: [] as unknown[],
    send: (e: InboxEvent) => sink.sent.push(e.id),
    reset: (caught: InboxCatchUp) => sink.resets.push(caught.lastId),
    fail: (error: unknown) => sink.failures.push(error),
  };
  return sink;
}

describe(InboxEventFeed.name, () => {
  it('sends the next event at once, without reading the log', async () => {
    const log = new FakeLog();
    const sut = new InboxEventFeed(log.catchUp);
    const sink = recordingSink();
    sut.start(0, sink);
    sut.event(log.commit());
    sut.event(log.commit());
    await flush();
    expect(sink.sent).toEqual([1, 2]);
    expect(log.reads).toBe(0);
  });

  it('fills a gap from the log before the event that showed it, and drops what it already sent', async () => {
    const log = new FakeLog();
    const sut = new InboxEventFeed(log.catchUp);
    const sink = recordingSink();
    sut.start(0, sink);
    const [first, second, third] = [log.commit(), log.commit(), log.commit()];
    sut.event(third); // the first two are still on their way (another process published them)
    sut.event(first);
    sut.event(second);
    sut.event(third);
    await flush();
    expect(sink.sent).toEqual([1, 2, 3]);
    expect(log.reads).toBe(1);
  });

  it('holds what arrives before start, and sends only what follows the opening', async () => {
    const log = new FakeLog();
    const sut = new InboxEventFeed(log.catchUp);
    const sink = recordingSink();
    sut.event(log.commit());
    sut.event(log.commit());
    sut.resync();
    sut.start(1, sink); // the opening had event 1
    await flush();
    expect(sink.sent).toEqual([2]);
  });

  it('resets when what is missing is no longer kept, then goes on from the log’s last event', async () => {
    const log = new FakeLog();
    const sut = new InboxEventFeed(log.catchUp);
    const sink = recordingSink();
    sut.start(0, sink);
    for (let i = 0; i < 5; i++) log.commit();
    log.keptFrom = 4;
    sut.event(log.committed[4]);
    await flush();
    sut.event(log.commit());
    await flush();
    expect({ sent: sink.sent, resets: sink.resets }).toEqual({ sent: [6], resets: [5] });
  });

  it('catches up on resync, and fails the stream when the log cannot be read', async () => {
    const log = new FakeLog();
    const sut = new InboxEventFeed(async (afterId) => {
      if (afterId === 2) throw new Error('database is locked');
      return log.catchUp(afterId);
    });
    const sink = recordingSink();
    sut.start(0, sink);
    log.commit();
    log.commit();
    sut.resync(); // the bus may have dropped them
    await flush();
    expect(sink.sent).toEqual([1, 2]);
    sut.resync();
    await flush();
    expect(sink.failures).toEqual([new Error('database is locked')]);
  });

  it('sends nothing once closed', async () => {
    const log = new FakeLog();
    const sut = new InboxEventFeed(log.catchUp);
    const sink = recordingSink();
    sut.start(0, sink);
    sut.close();
    sut.event(log.commit());
    sut.resync();
    await flush();
    expect(sink.sent).toEqual([]);
    expect(log.reads).toBe(0);
  });

  it('sends every committed event once, in order, however the bus delays, drops, repeats or reorders them', async () => {
    // Steps: commit the next event (published, or dropped by the bus), or deliver one published
    // event (which may be delivered again), or tell the feed to resync.
    const step = fc.oneof(
      fc.record({ kind: fc.constant('commit' as const), dropped: fc.boolean() }),
      fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), again: fc.boolean() }),
      fc.record({ kind: fc.constant('resync' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const log = new FakeLog();
        const sut = new InboxEventFeed(log.catchUp);
        const sink = recordingSink();
        sut.start(0, sink);
        const inFlight: InboxEvent[] = [];
        for (const s of steps) {
          if (s.kind === 'commit') {
            const committed = log.commit();
            if (!s.dropped) inFlight.push(committed);
          } else if (s.kind === 'deliver' && inFlight.length > 0) {
            const index = s.pick % inFlight.length;
            const delivered = inFlight[index];
            if (!s.again) inFlight.splice(index, 1);
            sut.event(delivered);
          } else if (s.kind === 'resync') {
            sut.resync();
          }
          await flush();
        }
        // In the end everything in flight arrives, and a resync (a reconnection) catches up the rest.
        inFlight.forEach((e) => sut.event(e));
        sut.resync();
        await flush();
        expect(sink.sent).toEqual(log.committed.map((e) => e.id));
        expect(sink.resets).toEqual([]);
      }),
      { numRuns: 200, seed: 20261202 },
    );
  });
});
