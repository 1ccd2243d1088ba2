import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  text: string;
}

export interface ScriptedResponse {
  /** Only for requests whose path starts with this; others skip this entry. */
  path?: string;
  status: number;
  /** Wait this long before answering (a slow provider). */
  delayMs?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A stand-in for an external HTTP provider on 127.0.0.1: records every request and answers
 * from a script (then with the default), so tests can make it fail on purpose.
 */
export class HttpPeer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: ScriptedResponse[] = [];
  private server: Server;
  url = '';

  constructor(
    private readonly fallback: (request: RecordedRequest) => ScriptedResponse = () => ({ status: 200, body: { ok: true } }),
    /** Serve HTTPS with the test certificate (test/fixtures/tls), trusted via NODE_EXTRA_CA_CERTS. */
    private readonly tls = false,
  ) {}

  /** The next responses, in order, before the default takes over. */
  answer(...responses: ScriptedResponse[]): void {
    this.script.push(...responses);
  }

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: import('node:http').ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, text: body.toString('utf8') };
        this.requests.push(recorded);
        const index = this.script.findIndex((entry) => !entry.path || recorded.url.startsWith(entry.path));
        const response = index >= 0 ? this.script.splice(index, 1)[0] : this.fallback(recorded);
        const send = () => {
          const payload =
            response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
          res.writeHead(response.status, { 'Content-Type': 'application/json', ...response.headers });
          res.end(payload);
        };
        if (response.delayMs) setTimeout(send, response.delayMs);
        else send();
      });
    };
    const fixtures = join(__dirname, '..', 'fixtures', 'tls');
    this.server = this.tls
      ? createHttpsServer(
          { key: readFileSync(join(fixtures, 'localhost-key.pem')), cert: readFileSync(join(fixtures, 'localhost-cert.pem')) },
          handler,
        )
      : createServer(handler);
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    this.url = `${this.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
