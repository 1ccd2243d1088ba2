import type { InboxEvent } from './types';

/** The stream's event names (what the server sends), each dispatched parsed. */
const EVENT_TYPES = ['counts', 'notification.created', 'notification.updated', 'notification.deleted', 'reset'] as const;

export type InboxStreamState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'parked' | 'follower' | 'closed';

export interface InboxStreamOptions {
  /** A fresh single-use ticket for each connection. */
  ticket: () => Promise<string>;
  /** The stream's URL (…/api/notifications/stream). */
  url: string;
  /** Names what tabs share: one connection per key across a browser's tabs. */
  key: string;
  /** Reconnect delays: jittered exponential backoff between these (default 1 s and 30 s). */
  minDelayMs: number;
  maxDelayMs: number;
  /** A tab hidden this long lets its connection go, and catches up when seen again (default 30 s). */
  parkAfterHiddenMs: number;
  /** Share one connection across tabs (BroadcastChannel, with Web Locks electing the tab that holds it). Default: where both exist. */
  shareAcrossTabs: boolean;
  EventSource?: typeof EventSource;
  random?: () => number;
}

type Listener = (event: InboxEvent) => void;

/**
 * A user's live inbox: one Server-Sent Events connection, kept open. On a drop it reconnects
 * with a new ticket after a jittered backoff (1–30 s), resuming after the last event it got
 * (`last_event_id`: the missed events are replayed, or a `reset` says to refetch). A tab hidden
 * for 30 s parks its connection and catches up when it is seen again. Where the browser has
 * BroadcastChannel and Web Locks, the tabs of one user share one connection: the tab holding the
 * lock connects and passes every event to the others; when it closes or parks, another takes over
 * from the last event id it was passed.
 */
export class InboxStream {
  private readonly options: InboxStreamOptions;
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(state: InboxStreamState) => void>();
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private parkTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private running = false;
  private parked = false;
  private leader = false;
  private channel: BroadcastChannel | null = null;
  private lockAbort: AbortController | null = null;
  private releaseLock: (() => void) | null = null;
  /** The id of the last event received (or passed on by the tab holding the connection). */
  lastEventId = '';
  state: InboxStreamState = 'idle';

  constructor(options: Partial<InboxStreamOptions> & Pick<InboxStreamOptions, 'ticket' | 'url' | 'key'>) {
    const canShare = typeof BroadcastChannel !== 'undefined' && typeof navigator !== 'undefined' && 'locks' in navigator;
    this.options = {
      minDelayMs: 1000,
      maxDelayMs: 30_000,
      parkAfterHiddenMs: 30_000,
      ...options,
      shareAcrossTabs: (options.shareAcrossTabs ?? true) && canShare,
    };
  }

  /** Every event, parsed; returns the unsubscribe. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: InboxStreamState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.visibilityChanged);
    if (this.options.shareAcrossTabs) {
      this.channel = new BroadcastChannel(`engage-stream:${this.options.key}`);
      this.channel.onmessage = (message: MessageEvent<InboxEvent>) => {
        if (this.leader) return;
        this.lastEventId = message.data.id || this.lastEventId;
        this.dispatch(message.data);
      };
      this.seekLeadership();
    } else {
      void this.connect();
    }
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.visibilityChanged);
    clearTimeout(this.timer);
    clearTimeout(this.parkTimer);
    this.disconnect();
    this.lockAbort?.abort();
    this.releaseLock?.();
    this.channel?.close();
    this.channel = null;
    this.setState('closed');
  }

  private readonly visibilityChanged = (): void => {
    if (document.visibilityState === 'hidden') {
      this.parkTimer = setTimeout(() => this.park(), this.options.parkAfterHiddenMs);
      return;
    }
    clearTimeout(this.parkTimer);
    if (!this.parked) return;
    this.parked = false;
    if (this.options.shareAcrossTabs) this.seekLeadership();
    else void this.connect();
  };

  /** Hidden long enough: the connection (or the claim to hold it) goes; caught up on return. */
  private park(): void {
    this.parked = true;
    clearTimeout(this.timer);
    this.disconnect();
    this.lockAbort?.abort();
    this.releaseLock?.();
    this.setState('parked');
  }

  /** Waits to be the tab holding the connection; a follower meanwhile, hearing the events through the channel. */
  private seekLeadership(): void {
    if (this.leader || this.lockAbort) return;
    this.setState('follower');
    const abort = new AbortController();
    this.lockAbort = abort;
    navigator.locks
      .request(`engage-stream:${this.options.key}`, { signal: abort.signal }, async () => {
        this.leader = true;
        void this.connect();
        await new Promise<void>((resolve) => (this.releaseLock = resolve));
      })
      .catch(() => undefined) // aborted: parked or stopped
      .finally(() => {
        this.leader = false;
        this.releaseLock = null;
        if (this.lockAbort === abort) this.lockAbort = null;
        this.disconnect();
      });
  }

  private async connect(): Promise<void> {
    if (!this.running || this.parked) return;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.options.ticket();
    } catch {
      return this.retry();
    }
    if (!this.running || this.parked || (this.options.shareAcrossTabs && !this.leader)) return;
    const resume = this.lastEventId ? `&last_event_id=${encodeURIComponent(this.lastEventId)}` : '';
    const Source = this.options.EventSource ?? EventSource;
    const source = new Source(`${this.options.url}?ticket=${encodeURIComponent(ticket)}${resume}`);
    this.source = source;
    for (const type of EVENT_TYPES) source.addEventListener(type, (event) => this.receive(type, event as MessageEvent<string>));
    source.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    // Its own retry would present the used ticket: close it and reconnect with a new one.
    source.onerror = () => {
      source.close();
      if (this.source !== source) return;
      this.source = null;
      this.retry();
    };
  }

  private retry(): void {
    if (!this.running || this.parked) return;
    const ceiling = Math.min(this.options.maxDelayMs, this.options.minDelayMs * 2 ** this.attempt);
    // Full jitter over the upper half: many clients dropped together come back spread out.
    const delay = Math.max(this.options.minDelayMs, ceiling / 2 + (this.options.random ?? Math.random)() * (ceiling / 2));
    this.attempt += 1;
    this.setState('reconnecting');
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private disconnect(): void {
    this.source?.close();
    this.source = null;
  }

  private receive(type: (typeof EVENT_TYPES)[number], message: MessageEvent<string>): void {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(message.data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.lastEventId) this.lastEventId = message.lastEventId;
    const event = { ...data, type, id: message.lastEventId } as InboxEvent;
    this.dispatch(event);
    this.channel?.postMessage(event);
  }

  private dispatch(event: InboxEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private setState(state: InboxStreamState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
