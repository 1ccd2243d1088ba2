/**
 * Engage's browser tracker: page views (including single-page navigations), engaged time,
 * custom events and identify, batched to `POST /api/activity/batch` with a publishable (track)
 * key, flushed with sendBeacon when the page goes away, and kept in IndexedDB until Engage has
 * them, so nothing is lost offline. Every event carries an id: Engage stores each once, however
 * often it is sent. Do Not Track and Global Privacy Control are honoured unless `consent(true)`.
 *
 * Served at /tracker.js (a global `engage`, or `<script src="…/tracker.js" data-key="…">` to start
 * it at once) and importable (`import { engage } from …/tracker.mjs`). Every byte counts here:
 * the budget is 3 KB gzipped.
 */

export interface TrackerOptions {
  /** A publishable (track) key: it travels in URLs, so never an admin key. */
  key: string;
  /** The user, when the page knows them; else an anonymous id kept in localStorage. */
  userId?: string;
  /** Where Engage is: its base URL, or a first-party path that proxies to it (default: where tracker.js came from). */
  endpoint?: string;
  /** Count `#/route` changes as page views (hash-routed apps). */
  hashRoutes?: boolean;
  /** Events per batch (default 20) and the longest an event waits to be sent, ms (default 5000). */
  batchSize?: number;
  flushMs?: number;
  /** How often engaged time is counted while the page is visible and in use, ms (default 15000). */
  heartbeatMs?: number;
}

type Json = Record<string, unknown>;
interface TrackedEvent extends Json {
  event_id: string;
}

const VERSION = '1';
/** Most events kept waiting (in IndexedDB); past it the oldest go. */
const CAP = 1000;
const DEDUPE_MS = 300;
/** Idle longer than this, the page is not being used: engaged time stops. */
const IDLE_MS = 60_000;

const w = window;
const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
const store = (() => {
  try {
    return w.localStorage;
  } catch {
    return null;
  }
})();
const uuid = (): string => crypto.randomUUID();
const now = (): number => Date.now();

let options: TrackerOptions | null = null;
let base = '';
let queue: TrackedEvent[] = [];
const inFlight = new Set<string>();
let timer: ReturnType<typeof setTimeout> | undefined;
let backoff = 0;
let lastUrl = '';
let lastPageAt = 0;
const referrer = document.referrer;
let engagedMs = 0;
let lastBeat = now();
let lastInput = now();
let db: Promise<IDBDatabase | null> | null = null;
const script = document.currentScript as HTMLScriptElement | null;

/** Whether this visitor may be tracked: consent given, or no privacy signal and no refusal. */
function allowed(): boolean {
  const consent = store?.getItem('engage_consent');
  if (consent) return consent === '1';
  return !(nav.doNotTrack === '1' || nav.globalPrivacyControl === true);
}

function idb(): Promise<IDBDatabase | null> {
  return (db ??= new Promise((resolve) => {
    try {
      const open = indexedDB.open('engage', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('q', { keyPath: 'event_id' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => resolve(null);
    } catch {
      resolve(null);
    }
  }));
}

/** Runs `work` on the queue's object store; resolves with its request's result (or undefined without IndexedDB). */
async function inStore<T>(mode: IDBTransactionMode, work: (objects: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const database = await idb();
  if (!database) return undefined;
  return new Promise((resolve) => {
    const tx = database.transaction('q', mode);
    const request = work(tx.objectStore('q'));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = tx.onabort = () => resolve(undefined);
  });
}

function identity(): Json {
  const userId = options?.userId ?? store?.getItem('engage_uid');
  if (userId) return { user_id: userId };
  let anonymous = store?.getItem('engage_aid');
  if (!anonymous) store?.setItem('engage_aid', (anonymous = uuid()));
  return { anonymous_id: anonymous };
}

function enqueue(event: Json): void {
  if (!options || !allowed()) return;
  const tracked: TrackedEvent = {
    ...identity(),
    ...event,
    event_id: uuid(),
    timestamp: new Date().toISOString(),
    context: {
      library: { name: 'engage-tracker', version: VERSION },
      locale: nav.language,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      screen: { width: screen.width, height: screen.height },
    },
  };
  queue.push(tracked);
  if (queue.length > CAP) queue.splice(0, queue.length - CAP);
  void inStore('readwrite', (objects) => void objects.put(tracked));
  if (queue.length >= (options.batchSize ?? 20)) void flush();
  else schedule(options.flushMs ?? 5000);
}

function schedule(ms: number): void {
  timer ??= setTimeout(() => {
    timer = undefined;
    void flush();
  }, ms);
}

function url(path: string): string {
  return `${base}/api/activity/${path}?key=${encodeURIComponent(options!.key)}`;
}

/** Sends what waits, one batch at a time; on failure keeps it and tries again later (1 s, 2 s, … 60 s). */
async function flush(): Promise<void> {
  const batch = queue.filter((event) => !inFlight.has(event.event_id)).slice(0, 500);
  if (!options || batch.length === 0) return;
  batch.forEach((event) => inFlight.add(event.event_id));
  let ok = false;
  try {
    const res = await fetch(url('batch'), {
      method: 'POST',
      // text/plain: a simple request, no CORS preflight.
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ sent_at: new Date().toISOString(), batch }),
      keepalive: true,
    });
    // A 4xx other than 429 will not change on a retry (the batch answers 200 even when it rejects some).
    ok = res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429);
  } catch {
    // offline, or Engage unreachable: kept for later
  }
  batch.forEach((event) => inFlight.delete(event.event_id));
  if (ok) {
    const sent = new Set(batch.map((event) => event.event_id));
    queue = queue.filter((event) => !sent.has(event.event_id));
    await inStore('readwrite', (objects) => sent.forEach((id) => objects.delete(id)));
    backoff = 0;
    if (queue.length > 0) void flush();
  } else {
    backoff = Math.min(backoff ? backoff * 2 : 1000, 60_000);
    schedule(backoff);
  }
}

/** The page is going away: what waits goes by beacon (kept in IndexedDB too, until the next page load confirms it). */
function leave(): void {
  countEngaged();
  endPage();
  if (!options || queue.length === 0) return;
  const body = JSON.stringify({ sent_at: new Date().toISOString(), batch: queue.slice(-500) });
  if (!nav.sendBeacon?.(url('batch'), new Blob([body], { type: 'text/plain' }))) void flush();
}

function pageUrl(): string {
  return location.pathname + location.search + (options?.hashRoutes ? location.hash : '');
}

/** Adds the time since the last beat to the page's engaged time, if the page was visible and in use. */
function countEngaged(): void {
  const at = now();
  if (document.visibilityState === 'visible' && at - lastInput < IDLE_MS) engagedMs += at - lastBeat;
  lastBeat = at;
}

/** Records the engaged time of the page being left. */
function endPage(): void {
  if (engagedMs >= 1000 && lastUrl) enqueue({ activity_type: 'engagement', page_url: lastUrl, metadata: { engaged_ms: engagedMs } });
  engagedMs = 0;
}

/**
 * A page view of the current URL. `changedOnly` (replaceState): only if the URL changed, as
 * routers replace the same URL to save scroll state. Otherwise the same URL again counts once
 * more than 300 ms later (a click on the link of the page one is on), not in a burst.
 */
function page(changedOnly?: unknown): void {
  if (!options || !allowed()) return;
  const current = pageUrl();
  const at = now();
  if (current === lastUrl && (changedOnly === true || at - lastPageAt < DEDUPE_MS)) return;
  countEngaged();
  endPage();
  enqueue({ activity_type: 'page_view', page_url: current, referrer: lastUrl ? location.origin + lastUrl : referrer || undefined });
  lastUrl = current;
  lastPageAt = at;
}

function init(given: TrackerOptions): void {
  if (options) return;
  options = given;
  base = (given.endpoint ?? (script?.src ? new URL(script.src).origin : '')).replace(/\/+$/, '');
  if (given.userId) store?.setItem('engage_uid', given.userId);
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      page(method === 'replaceState');
    };
  }
  w.addEventListener('popstate', () => page());
  if (given.hashRoutes) w.addEventListener('hashchange', () => page());
  w.addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? leave() : (lastBeat = now())));
  for (const type of ['pointerdown', 'keydown', 'scroll']) w.addEventListener(type, () => (lastInput = now()), { passive: true });
  setInterval(countEngaged, given.heartbeatMs ?? 15_000);
  // Events an earlier page kept (offline, or sent by beacon unconfirmed): sent again, stored once.
  void inStore<TrackedEvent[]>('readonly', (objects) => objects.getAll()).then((kept) => {
    const known = new Set(queue.map((event) => event.event_id));
    queue.unshift(...(kept ?? []).filter((event) => !known.has(event.event_id)));
    if (queue.length > 0) schedule(0);
  });
  page();
}

export const engage = {
  init,
  page,
  /** A custom event: `track('signup', { plan: 'pro' })`. */
  track(activityType: string, metadata?: Json): void {
    enqueue({ activity_type: activityType, page_url: pageUrl(), metadata });
  },
  /** The visitor is now `userId`: their anonymous events become the user's, and later ones are the user's. */
  identify(userId: string, traits?: Json): void {
    if (!options || !allowed()) return;
    const anonymousId = store?.getItem('engage_aid');
    options.userId = userId;
    store?.setItem('engage_uid', userId);
    if (anonymousId)
      void fetch(url('identify'), {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ anonymous_id: anonymousId, user_id: userId, traits }),
        keepalive: true,
      }).catch(() => undefined);
  },
  /** The visitor's choice, remembered: true tracks even with Do Not Track or GPC; false stops and forgets what waits. */
  consent(granted: boolean): void {
    store?.setItem('engage_consent', granted ? '1' : '0');
    if (granted) return page(true);
    queue = [];
    void inStore('readwrite', (objects) => void objects.clear());
  },
  /** Sends what waits now. */
  flush,
};

// <script src="…/tracker.js" data-key="ek_…" data-endpoint="…">: starts at once.
if (script?.dataset.key) init({ key: script.dataset.key, endpoint: script.dataset.endpoint, userId: script.dataset.userId });
