import type { InboxEvent } from './inbox-event';
import type { InboxEventListener } from './inbox-event-bus';
import type { InboxCatchUp } from './inbox-events.service';

/** Where a feed's output goes: the stream's connection. */
export interface InboxEventSink {
  send(event: InboxEvent): void;
  /** Events were lost past the log (the client must refetch); the stream goes on after `caught.lastId`. */
  reset(caught: InboxCatchUp): void;
  /** The log could not be read: the stream must end (its client reconnects and resumes). */
  fail(error: unknown): void;
}

/**
 * One open stream's view of its user's events: each sent once, in id order, none skipped.
 * Published events can arrive out of order or not at all (two processes publish independently;
 * Redis pub/sub drops what a disconnected subscriber misses). Ids are the user's own sequence, so
 * an event that is not the next one shows a gap: the feed then reads what it lacks from the log,
 * which holds every committed event, before going on; one already sent is dropped.
 */
export class InboxEventFeed implements InboxEventListener {
  private lastId = 0;
  private sink: InboxEventSink | null = null;
  /** What arrived before start(): the stream's opening was still being read. */
  private early: Array<InboxEvent | 'resync'> = [];
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly catchUp: (afterId: number) => Promise<InboxCatchUp>) {}

  event(event: InboxEvent): void {
    this.enqueue(event);
  }

  resync(): void {
    this.enqueue('resync');
  }

  /** Starts sending what follows `lastId`, the last event the client has (from the stream's opening). */
  start(lastId: number, sink: InboxEventSink): void {
    this.lastId = lastId;
    this.sink = sink;
    const early = this.early;
    this.early = [];
    for (const item of early) this.enqueue(item);
  }

  close(): void {
    this.closed = true;
    this.sink = null;
    this.early = [];
  }

  private enqueue(item: InboxEvent | 'resync'): void {
    if (this.closed) return;
    if (!this.sink) {
      this.early.push(item);
      return;
    }
    // One at a time, in arrival order: a catch-up must be over before the next event is judged.
    this.queue = this.queue.then(() => this.handle(item)).catch((error: unknown) => this.sink?.fail(error));
  }

  private async handle(item: InboxEvent | 'resync'): Promise<void> {
    if (this.closed || !this.sink) return;
    if (item !== 'resync') {
      if (item.id <= this.lastId) return;
      if (item.id === this.lastId + 1) {
        this.lastId = item.id;
        this.sink.send(item);
        return;
      }
    }
    const caught = await this.catchUp(this.lastId);
    if (this.closed || !this.sink) return;
    if (caught.complete) {
      for (const event of caught.events) this.sink.send(event);
    } else {
      this.sink.reset(caught);
    }
    this.lastId = caught.lastId;
  }
}
