import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, Http2Server, IncomingHttpHeaders } from 'node:http2';
import { AddressInfo } from 'node:net';

export interface ApnsRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP/2 (cleartext) stand-in for APNs on 127.0.0.1, answering from a script. */
export class ApnsPeer {
  readonly requests: ApnsRequest[] = [];
  private readonly script: Array<{ status: number; reason?: string }> = [];
  private server: Http2Server;
  url = '';

  answer(...responses: Array<{ status: number; reason?: string }>): void {
    this.script.push(...responses);
  }

  async start(): Promise<this> {
    this.server = createServer();
    this.server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        this.requests.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
        const response = this.script.shift() ?? { status: 200 };
        // As APNs does: the apns-id of the request echoed, errors included, or a new UUID if none came.
        const apnsId = typeof headers['apns-id'] === 'string' ? headers['apns-id'] : randomUUID();
        stream.respond({ ':status': response.status, 'apns-id': apnsId, 'content-type': 'application/json' });
        stream.end(response.reason ? JSON.stringify({ reason: response.reason }) : '');
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
