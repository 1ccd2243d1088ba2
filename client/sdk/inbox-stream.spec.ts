import { InboxStream } from './inbox-stream';

/** An EventSource the test drives: it records what it was opened with and lets the test send events and errors. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private readonly handlers = new Map<string, (event: MessageEvent<string>) => void>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  addEventListener(type: string, handler: (event: MessageEvent<string>) => void): void {
    this.handlers.set(type, handler);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: string, id: string, data: unknown): void {
    this.handlers.get(type)?.({ data: JSON.stringify(data), lastEventId: id } as MessageEvent<string>);
  }
}

const latest = () => FakeEventSource.opened[FakeEventSource.opened.length - 1];
const query = (source: FakeEventSource) => Object.fromEntries(new URL(source.url).searchParams);
const COUNTS = { total: 1, unread: 1, unseen: 1 };

describe('InboxStream', () => {
  let tickets: number;
  const newStream = (random = () => 1) =>
    new InboxStream({
      url: 'https://engage.test/api/notifications/stream',
      key: 'ada',
      ticket: async () => `t${++tickets}`,
      EventSource: FakeEventSource as unknown as typeof EventSource,
      shareAcrossTabs: false,
      random,
    });
  /** Lets the ticket's promise settle. */
  const settle = () => jest.advanceTimersByTimeAsync(0);
  const setVisibility = (state: 'visible' | 'hidden') => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  };

  beforeEach(() => {
    jest.useFakeTimers();
    FakeEventSource.opened = [];
    tickets = 0;
    setVisibility('visible');
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('connects with a ticket and hands over each event parsed, with its id', async () => {
    const stream = newStream();
    const events: unknown[] = [];
    stream.on((event) => events.push(event));
    stream.start();
    await settle();
    expect(query(latest())).toEqual({ ticket: 't1' });
    latest().onopen?.();
    latest().emit('counts', '4', { counts: COUNTS, bulk: null });
    latest().emit('notification.created', '5', { notification: { id: 'n1' }, counts: COUNTS });
    expect(events).toEqual([
      { type: 'counts', id: '4', counts: COUNTS, bulk: null },
      { type: 'notification.created', id: '5', notification: { id: 'n1' }, counts: COUNTS },
    ]);
    expect(stream.state).toBe('open');
    stream.stop();
    expect(latest().closed).toBe(true);
  });

  it('reconnects after a drop with a new ticket, resuming after the last event, backing off up to 30 s', async () => {
    const stream = newStream(() => 1);
    stream.start();
    await settle();
    latest().onopen?.();
    latest().emit('notification.updated', '9', { notification: { id: 'n1' }, counts: COUNTS });
    const delays: number[] = [];
    for (let drop = 0; drop < 7; drop += 1) {
      const before = FakeEventSource.opened.length;
      latest().onerror?.();
      let waited = 0;
      while (FakeEventSource.opened.length === before) {
        await jest.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      delays.push(waited);
    }
    // random() = 1: the top of each jittered range, doubling from 1 s to the 30 s ceiling.
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(query(latest())).toEqual({ ticket: 't8', last_event_id: '9' });
    expect(FakeEventSource.opened.slice(0, -1).every((source) => source.closed)).toBe(true);
    // A connection that opens starts the backoff again.
    latest().onopen?.();
    latest().onerror?.();
    await jest.advanceTimersByTimeAsync(1000);
    expect(FakeEventSource.opened).toHaveLength(9);
    stream.stop();
  });

  it('spreads reconnects: never under 1 s, at least half the ceiling', async () => {
    const stream = newStream(() => 0);
    stream.start();
    await settle();
    latest().onerror?.();
    await jest.advanceTimersByTimeAsync(999);
    expect(FakeEventSource.opened).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    latest().onerror?.();
    await jest.advanceTimersByTimeAsync(1000); // ceiling 2 s, jitter 0: half of it
    expect(FakeEventSource.opened).toHaveLength(3);
    stream.stop();
  });

  it('parks after 30 s hidden and catches up from the last event when seen again', async () => {
    const stream = newStream();
    stream.start();
    await settle();
    latest().onopen?.();
    latest().emit('counts', '12', { counts: COUNTS, bulk: null });
    setVisibility('hidden');
    await jest.advanceTimersByTimeAsync(29_000);
    expect(latest().closed).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(latest().closed).toBe(true);
    expect(stream.state).toBe('parked');
    await jest.advanceTimersByTimeAsync(120_000);
    expect(FakeEventSource.opened).toHaveLength(1); // no reconnects while parked
    setVisibility('visible');
    await settle();
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(query(latest())).toEqual({ ticket: 't2', last_event_id: '12' });
    stream.stop();
  });

  it('keeps trying when a ticket cannot be had (offline, or the token ran out)', async () => {
    let failures = 2;
    const stream = new InboxStream({
      url: 'https://engage.test/api/notifications/stream',
      key: 'ada',
      ticket: async () => {
        if (failures-- > 0) throw new Error('offline');
        return 'ok';
      },
      EventSource: FakeEventSource as unknown as typeof EventSource,
      shareAcrossTabs: false,
      random: () => 1,
    });
    stream.start();
    await jest.advanceTimersByTimeAsync(1000 + 2000);
    expect(FakeEventSource.opened.map((source) => query(source).ticket)).toEqual(['ok']);
    stream.stop();
  });
});
