import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { createServer as createHttpsServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GuardedHttpsAgent } from '../src/common/outbound/guarded-https-agent';
import { OutboundDeniedError, OutboundPolicy } from '../src/common/outbound/outbound-policy';
import { DeliveryError } from '../src/notification/delivery/delivery-error';
import { OutboundHttp } from '../src/notification/delivery/outbound-http';
import { createTestApp, LOCAL_PEERS_ALLOWED, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const TLS = join(__dirname, 'fixtures', 'tls');

/** A listener on 127.0.0.1 that counts every TCP connection made to it, answering with `answer`. */
type Answer = { status: number; body?: string; headers?: Record<string, string> };

async function listener(kind: 'http' | 'https', answer: (path: string) => Answer = () => ({ status: 200 })) {
  const handler = (
    req: { url?: string },
    res: { writeHead(status: number, headers?: Record<string, string>): { end(body?: string): void } },
  ) => {
    const { status, body, headers } = answer(req.url ?? '/');
    res.writeHead(status, headers).end(body);
  };
  const server: Server =
    kind === 'https'
      ? createHttpsServer(
          { key: readFileSync(join(TLS, 'localhost-key.pem')), cert: readFileSync(join(TLS, 'localhost-cert.pem')) },
          handler,
        )
      : createServer(handler);
  const state = { connections: 0 };
  server.on('connection', () => (state.connections += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get connections() {
      return state.connections;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type DeliveryRow = { outcome: string; error: string | null; status_code: number | null };

describe('Outbound requests on a user’s behalf (e2e)', () => {
  describe('with the default policy', () => {
    let t: TestApp;
    let http: Awaited<ReturnType<typeof listener>>;
    let https: Awaited<ReturnType<typeof listener>>;

    beforeAll(async () => {
      [http, https] = await Promise.all([listener('http'), listener('https')]);
      t = await createTestApp({
        realClock: true,
        env: {
          DELIVERY_BACKOFF_MS: '30',
          DELIVERY_POLL_MS: '20',
          DELIVERY_MAX_ATTEMPTS: '2',
          WEBHOOK_SIGNING_SECRET: 'whsec_outbound_policy_test_0123',
          // Set by the operator, so never checked when stored: the check at connection time must hold.
          WEBHOOK_DEFAULT_URL: `https://127.0.0.1:${https.port}/hook`,
          VAPID_PUBLIC_KEY: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U',
          VAPID_PRIVATE_KEY: 'UUxI4O8-FbRouAevSmBQ6o18hgE4nSG3qwvJTfKc-ls',
          VAPID_SUBJECT: 'mailto:ops@example.com',
        },
      });
    });

    afterAll(async () => {
      await t.close();
      await Promise.all([http.close(), https.close()]);
    });

    afterEach(() => {
      // Not one of the requests below may have reached either listener.
      expect({ http: http.connections, https: https.connections }).toEqual({ http: 0, https: 0 });
    });

    const internalUrls = () => [
      `http://127.0.0.1:${http.port}/hook`,
      `https://127.0.0.1:${https.port}/hook`,
      `https://localhost:${https.port}/hook`,
      `https://2130706433:${https.port}/hook`,
      `https://0x7f.1:${https.port}/hook`,
      `https://[::1]:${https.port}/hook`,
      `https://[::ffff:127.0.0.1]:${https.port}/hook`,
    ];

    it('refuses internal webhook and Slack URLs when they are stored, naming the field', async () => {
      for (const url of internalUrls()) {
        for (const field of ['webhook_url', 'slack_webhook_url']) {
          const res = await t.http.put('/api/users/u1/contact').send({ [field]: url });
          expect({ url, field, status: res.status }).toEqual({ url, field, status: 400 });
          expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
        }
      }
      const res = await t.http.get('/api/users/u1/export').expect(200);
      expect(res.body.contact).toBeNull();
    });

    it('refuses an internal Slack URL in a send, and a Web Push subscription aimed inside', async () => {
      for (const url of internalUrls()) {
        const send = await t.http
          .post('/api/notifications/send')
          .send({ user_id: 'u2', title: 'T', message: 'M', notification_type: 'n', channel: 'slack', data: { slack_webhook_url: url } });
        expect({ url, status: send.status, field: send.body.error?.details?.[0]?.field }).toEqual({
          url,
          status: 400,
          field: 'data.slack_webhook_url',
        });
        const device = await t.http
          .post('/api/devices/register')
          .send({ user_id: 'u2', platform: 'web', token: JSON.stringify({ endpoint: url, keys: { p256dh: 'x', auth: 'y' } }) });
        expect({ url, status: device.status, field: device.body.error?.details?.[0]?.field }).toEqual({ url, status: 400, field: 'token' });
      }
      expect((await t.http.get('/api/notifications/user/u2').expect(200)).body.notifications).toEqual([]);
    });

    it('refuses, at connection time, an internal URL that was never checked when stored', async () => {
      const sent = await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'u3', title: 'T', message: 'M', notification_type: 'n', channel: 'webhook' })
        .expect(201);
      const settled = await waitFor(
        async () => {
          const res = await t.http.get(`/api/notifications/deliveries/${sent.body.notification_id}`).expect(200);
          return res.body.status === 'failed' ? (res.body as { deliveries: DeliveryRow[] }) : undefined;
        },
        10_000,
        'the webhook to fail',
      );
      // A policy refusal is final: one attempt, not retried.
      expect(settled.deliveries).toEqual([
        expect.objectContaining({ outcome: 'failed', error: 'webhook: the URL points to an internal or reserved address' }),
      ]);
    });

    it('never connects to the address a name resolves to when that address is internal (DNS rebinding)', async () => {
      // The attacker's DNS: a public address when the URL was checked, loopback when connecting.
      const policy = new OutboundPolicy({ allow: [], allowHttp: false }, (_host, _options, callback) =>
        callback(null, [{ address: '127.0.0.1', family: 4 }]),
      );
      const sut = new OutboundHttp(policy);
      try {
        const attempt = sut.post('webhook', `https://rebind.test:${https.port}/hook`, {
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        });
        await expect(attempt).rejects.toThrow(DeliveryError);
        await expect(attempt).rejects.toMatchObject({
          message: `webhook: the URL's host ${new OutboundDeniedError('resolves only to internal or reserved addresses').message}`,
          retryable: false,
        });
      } finally {
        await sut.onModuleDestroy();
      }
    });
  });

  describe('the connectors, below any URL parser', () => {
    let https: Awaited<ReturnType<typeof listener>>;
    const policy = new OutboundPolicy({ allow: [], allowHttp: false });

    beforeAll(async () => {
      https = await listener('https');
    });

    afterAll(async () => {
      await https.close();
    });

    it("never opens a socket to a denied address literal through Web Push's https agent", async () => {
      const agent = new GuardedHttpsAgent(policy);
      try {
        const outcome = await new Promise<string>((resolve) => {
          try {
            const req = request({ host: '127.0.0.1', port: https.port, path: '/push', method: 'POST', agent }, () => resolve('answered'));
            req.on('error', (error) => resolve(error.message));
            req.end();
          } catch (error) {
            resolve((error as Error).message);
          }
        });
        expect(outcome).toBe('points to an internal or reserved address');
        expect(https.connections).toBe(0);
      } finally {
        agent.destroy();
      }
    });

    it('never opens a socket to a denied address literal through the webhook client, even past the URL check', async () => {
      // A policy whose URL check lets everything through, standing in for a parser that missed a host.
      const lenient = Object.assign(new OutboundPolicy({ allow: [], allowHttp: false }), { checkUrl: (raw: string) => new URL(raw) });
      const sut = new OutboundHttp(lenient);
      try {
        await expect(sut.post('webhook', `https://127.0.0.1:${https.port}/hook`, { headers: {}, body: '{}' })).rejects.toMatchObject({
          retryable: false,
        });
        expect(https.connections).toBe(0);
      } finally {
        await sut.onModuleDestroy();
      }
    });
  });

  describe('with a receiver OUTBOUND_ALLOW names', () => {
    let t: TestApp;
    let receiver: Awaited<ReturnType<typeof listener>>;
    let elsewhere: Awaited<ReturnType<typeof listener>>;

    beforeAll(async () => {
      elsewhere = await listener('http');
      receiver = await listener('http', (path): Answer =>
        path.startsWith('/moved')
          ? { status: 302, headers: { Location: `http://127.0.0.1:${elsewhere.port}/internal-admin` } }
          : { status: 500, body: 'db password is hunter2; internal stack trace', headers: { 'Content-Type': 'text/plain' } },
      );
      t = await createTestApp({
        realClock: true,
        // Only the receiver's port is meant, but an allow list names hosts and ranges: both listen on it.
        env: {
          ...LOCAL_PEERS_ALLOWED,
          DELIVERY_BACKOFF_MS: '30',
          DELIVERY_POLL_MS: '20',
          DELIVERY_MAX_ATTEMPTS: '2',
          WEBHOOK_SIGNING_SECRET: 'whsec_outbound_policy_test_0123',
        },
      });
    });

    afterAll(async () => {
      await t.close();
      await Promise.all([receiver.close(), elsewhere.close()]);
    });

    const deliver = async (user: string, url: string) => {
      await t.http.put(`/api/users/${user}/contact`).send({ webhook_url: url }).expect(200);
      const sent = await t.http
        .post('/api/notifications/send')
        .send({ user_id: user, title: 'T', message: 'M', notification_type: 'n', channel: 'webhook' })
        .expect(201);
      return waitFor(
        async () => {
          const res = await t.http.get(`/api/notifications/deliveries/${sent.body.notification_id}`).expect(200);
          return res.body.status === 'failed' ? (res.body as { deliveries: DeliveryRow[] }) : undefined;
        },
        10_000,
        'the webhook to fail',
      );
    };

    it('records the status and its standard reason, never what the receiver answered', async () => {
      const settled = await deliver('echo', `http://127.0.0.1:${receiver.port}/hook`);
      expect(settled.deliveries.map((d) => d.error)).toEqual([
        'webhook answered 500 Internal Server Error',
        'webhook answered 500 Internal Server Error',
      ]);
      const exported = JSON.stringify((await t.http.get('/api/users/echo/export').expect(200)).body);
      expect(exported).not.toContain('hunter2');
    });

    it('does not follow a redirect: a 3xx is a failed attempt, and the target is never reached', async () => {
      const settled = await deliver('moved', `http://127.0.0.1:${receiver.port}/moved`);
      expect(settled.deliveries).toEqual([
        expect.objectContaining({ outcome: 'failed', status_code: 302, error: 'webhook answered 302 Found; redirects are not followed' }),
      ]);
      expect(elsewhere.connections).toBe(0);
    });
  });
});
