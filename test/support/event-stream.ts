import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message of an event stream, as an EventSource would dispatch it (plus its `retry`). */
export interface StreamMessage {
  event: string;
  data: string;
  /** The `id:` of this message, if it had one (an EventSource keeps the last one as lastEventId). */
  id?: string;
  retry?: number;
}

export interface EventStreamClient {
  status: number;
  headers: Headers;
  /** The body of an answer that is not a stream (an error), read whole. */
  text: string;
  /** Comments received so far (`: heartbeat`), in order. */
  comments: string[];
  /** The id an EventSource would send as Last-Event-ID on reconnecting. */
  lastEventId: string;
  /** The next message, waiting up to `timeoutMs`. */
  next(timeoutMs?: number): Promise<StreamMessage>;
  /** The next `count` messages. */
  take(count: number, timeoutMs?: number): Promise<StreamMessage[]>;
  /** Resolves once a comment has arrived (waiting up to `timeoutMs`). */
  nextComment(timeoutMs?: number): Promise<string>;
  /** Whether the server ended the stream. */
  ended(): boolean;
  /** Waits up to `ms` and returns the messages that came meanwhile (to show that nothing else came). */
  drain(ms: number): Promise<StreamMessage[]>;
  close(): void;
}

/** The app listening on 127.0.0.1 (an ephemeral port); its base URL. */
export async function listenLocally(app: INestApplication): Promise<string> {
  const server = app.getHttpServer() as import('node:http').Server;
  if (!server.listening) await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Opens an event stream with fetch and parses it as the HTML standard says an EventSource does
 * (fields, comments, multi-line data, CR/LF/CRLF). Unlike EventSource it reports the status and
 * body of an error answer, lets the test set any header, and never reconnects on its own.
 */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const isStream = response.status === 200 && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const text = isStream ? '' : await response.text();

  const messages: StreamMessage[] = [];
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  let ended = !isStream;
  let lastEventId = '';
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());

  let pending = '';
  let fields: { event?: string; data: string[]; id?: string; retry?: number } = { data: [] };
  const line = (text: string) => {
    if (text === '') {
      if (fields.id !== undefined) lastEventId = fields.id;
      if (fields.data.length > 0) {
        messages.push({
          event: fields.event ?? 'message',
          data: fields.data.join('\n'),
          ...(fields.id !== undefined ? { id: fields.id } : {}),
          ...(fields.retry !== undefined ? { retry: fields.retry } : {}),
        });
      }
      fields = { data: [] };
      return;
    }
    if (text.startsWith(':')) {
      comments.push(text.slice(1).trimStart());
      return;
    }
    const colon = text.indexOf(':');
    const name = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') fields.event = value;
    else if (name === 'data') fields.data.push(value);
    else if (name === 'id' && !value.includes('\0')) fields.id = value;
    else if (name === 'retry' && /^\d+$/.test(value)) fields.retry = Number(value);
  };

  if (isStream && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const received = pending + decoder.decode(value, { stream: true });
          // A CR at the end may be the first half of a CRLF: it waits for the next chunk.
          const cut = received.endsWith('\r') ? received.length - 1 : received.length;
          const parts = received.slice(0, cut).split(/\r\n|\r|\n/);
          pending = (parts.pop() ?? '') + received.slice(cut);
          parts.forEach(line);
          wake();
        }
      } catch {
        // aborted by close(), or the connection dropped
      } finally {
        ended = true;
        wake();
      }
    })();
  }

  const waitFor = async <T>(ready: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (ended) throw new Error(`the stream ended while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };

  let commentsRead = 0;
  const client: EventStreamClient = {
    status: response.status,
    headers: response.headers,
    text,
    comments,
    get lastEventId() {
      return lastEventId;
    },
    next: (timeoutMs = 5000) => waitFor(() => messages.shift(), timeoutMs, 'message'),
    take: async (count, timeoutMs = 5000) => {
      const taken: StreamMessage[] = [];
      for (let i = 0; i < count; i++) taken.push(await client.next(timeoutMs));
      return taken;
    },
    nextComment: (timeoutMs = 5000) =>
      waitFor(() => (commentsRead < comments.length ? comments[commentsRead++] : undefined), timeoutMs, 'comment'),
    ended: () => ended,
    drain: async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return messages.splice(0);
    },
    close: () => abort.abort(),
  };
  return client;
}

/**
 * A superagent parser (`request.buffer(true).parse(firstEventThenClose)`) for an operation that
 * answers with an event stream, which never ends by itself: the body is the stream's first event,
 * as text, and the connection is closed after it, as a client that has seen enough closes it. An
 * answer that is not a stream (an error) is read whole, and JSON parsed.
 */
export function firstEventThenClose(response: unknown, done: (error: Error | null, body: unknown) => void): void {
  // superagent's types call it its Response; on Node it is the IncomingMessage.
  const res = response as IncomingMessage;
  const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
  let text = '';
  let settled = false;
  const settle = (body: unknown) => {
    if (settled) return;
    settled = true;
    done(null, body);
  };
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
    // The first blank line after some content ends the first event.
    const first = /^[\r\n]*([^\r\n][\s\S]*?)(?:\r\n|\r|\n){2}/.exec(text);
    if (isStream && first) {
      settle(first[1]);
      res.destroy();
    }
  });
  res.on('end', () => {
    if (isStream) return settle(text);
    try {
      settle(String(res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text);
    } catch {
      settle(text);
    }
  });
  res.on('error', () => settle(text));
  res.on('close', () => settle(text));
}

/** Whether the operation's documented success is an event stream (so a request to it must close it). */
export function answersWithEventStream(operation: object): boolean {
  const ok = (operation as { responses?: Record<string, { content?: Record<string, unknown> }> }).responses?.['200'];
  return ok?.content?.['text/event-stream'] !== undefined;
}
