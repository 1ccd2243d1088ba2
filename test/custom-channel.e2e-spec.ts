import { Inject, Injectable, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import request from 'supertest';
import { ApiKeyService } from '../src/auth/api-key.service';
import { AuthModule } from '../src/auth/auth.module';
import type { ChannelProvider, OutboundMessage, ProviderResult, RecipientSources } from '../src/notification/delivery/channel-provider';
import { OutboundHttp } from '../src/notification/delivery/outbound-http';
import { NotificationModule } from '../src/notification/notification.module';
import { contractRecorder } from './support/contract-recorder';
import { HttpPeer } from './support/http-peer';
import { makeTempDir } from './support/temp-dir';
import { waitFor } from './support/wait-for';

const DISCORD_SETTINGS = 'DISCORD_SETTINGS';

/**
 * A host's own channel, written as a host would: Discord, through a bot endpoint (a receiver on
 * 127.0.0.1 stands in for it), reached with Engage's OutboundHttp so the outbound policy holds.
 */
@Injectable()
class DiscordProvider implements ChannelProvider<string> {
  readonly channel = 'discord';
  readonly name = 'discord-bot';
  readonly format = 'markdown';
  readonly setupHint = null;
  readonly recipientHint = 'Discord user id: pass data.discord_user_id';

  constructor(
    private readonly outbound: OutboundHttp,
    @Inject(DISCORD_SETTINGS) private readonly settings: { botUrl: string },
  ) {}

  async recipient({ data }: RecipientSources): Promise<string | null> {
    return typeof data?.discord_user_id === 'string' ? data.discord_user_id : null;
  }

  async send({ notification, recipient }: OutboundMessage<string>): Promise<ProviderResult> {
    const response = await this.outbound.post(this.name, `${this.settings.botUrl}/dm/${encodeURIComponent(recipient)}`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: `**${notification.title}**\n${notification.message}` }),
    });
    return { outcome: 'delivered', statusCode: response.status, providerMessageId: notification.id };
  }
}

describe('A channel a host registers (NotificationModule channels), over HTTP (e2e)', () => {
  const dir = makeTempDir('engage-channel-');
  const discord = new HttpPeer(() => ({ status: 200, body: { id: 'dm-1' } }));
  const violations: string[] = [];
  let app: INestApplication;
  /** As an operator's script calls it (not test/support/test-app: importing AppModule would register its data sources too). */
  let http: (method: 'get' | 'post', path: string) => request.Test;

  beforeAll(async () => {
    await discord.start();
    @Module({ providers: [{ provide: DISCORD_SETTINGS, useValue: { botUrl: discord.url } }], exports: [DISCORD_SETTINGS] })
    class DiscordSettingsModule {}

    @Module({
      imports: [
        AuthModule.forRoot({ config: { database: join(dir.path, 'auth.db'), seededAdminKeys: [] } }),
        NotificationModule.forRootAsync({
          imports: [DiscordSettingsModule],
          useFactory: () => ({
            database: join(dir.path, 'notifications.db'),
            delivery: { pollMs: 20, backoffMs: 30, outbound: { allow: ['127.0.0.1/32'], allowHttp: true } },
          }),
          channels: [DiscordProvider],
        }),
      ],
    })
    class HostModule {}

    const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.use(contractRecorder(violations));
    await app.init();
    const key = (await app.get(ApiKeyService).create('host-admin', 'admin')).key;
    http = (method, path) =>
      request(app.getHttpServer())[method](path).set('Authorization', `Bearer ${key}`).set('User-Agent', 'curl/8.5.0');
  });

  afterAll(async () => {
    await app.close();
    await discord.stop();
    dir.remove();
    expect(violations).toEqual([]);
  });

  const deliveredTo = (path: string) =>
    waitFor(async () => discord.requests.find((r) => r.url === path), 10_000, `the Discord receiver to get ${path}`);

  it("queues a send on the host's channel and its provider delivers it, the template rendered in the provider's Markdown", async () => {
    await http('post', '/api/notifications/templates')
      .send({ name: 'shipped', title_template: 'Order {{order}}', message_template: '**Shipped** to {{name}}', channels: ['discord'] })
      .expect(201);
    const sent = await http('post', '/api/notifications/send')
      .send({ user_id: 'ada', template: 'shipped', data: { discord_user_id: '4242', order: 42, name: 'Ada *Lovelace*_[x](y)' } })
      .expect(201);
    expect(sent.body).toMatchObject({ success: true, status: 'queued' });

    const received = await deliveredTo('/dm/4242');
    // The template's own Markdown stays; the values it prints cannot add any.
    expect(JSON.parse(received.text)).toEqual({ content: '**Order 42**\n**Shipped** to Ada \\*Lovelace\\*\\_\\[x\\]\\(y\\)' });
    const record = await waitFor(
      async () => {
        const res = await http('get', `/api/notifications/deliveries/${sent.body.notification_id}`).expect(200);
        return res.body.status === 'delivered' ? res.body : undefined;
      },
      10_000,
      'the notification to be delivered',
    );
    expect(record.deliveries).toEqual([
      expect.objectContaining({ attempt: 1, provider: 'discord-bot', outcome: 'delivered', status_code: 200 }),
    ]);

    // A literal send goes the same way, and shows in the user's inbox under its channel.
    await http('post', '/api/notifications/send')
      .send({
        user_id: 'ada',
        title: 'Hi',
        message: 'Plain *as sent*',
        notification_type: 'greeting',
        channel: 'discord',
        data: { discord_user_id: '7' },
      })
      .expect(201);
    expect(JSON.parse((await deliveredTo('/dm/7')).text)).toEqual({ content: '**Hi**\nPlain *as sent*' });
    const inbox = await http('get', '/api/notifications/user/ada?channel=discord').expect(200);
    expect(inbox.body.notifications.map((n: { channel: string; title: string }) => [n.channel, n.title])).toEqual([
      ['discord', 'Hi'],
      ['discord', 'Order 42'],
    ]);
  });

  it("answers 422 with the provider's hint for a user it cannot reach, and 400 for a channel nobody registered", async () => {
    const base = { user_id: 'bob', title: 'T', message: 'M', notification_type: 'n' };
    const before = discord.requests.length;
    const noRecipient = await http('post', '/api/notifications/send')
      .send({ ...base, channel: 'discord' })
      .expect(422);
    expect(noRecipient.body.error).toEqual({ code: 'no_recipient', message: 'User bob has no Discord user id: pass data.discord_user_id' });

    for (const channel of ['teams', 'Discord', 'discord!', 7]) {
      const unknown = await http('post', '/api/notifications/send')
        .send({ ...base, channel })
        .expect(400);
      expect(unknown.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ field: 'channel' })] });
    }
    const teams = await http('post', '/api/notifications/send')
      .send({ ...base, channel: 'teams' })
      .expect(400);
    expect(teams.body.error.details[0].messages[0]).toBe(
      'channel must be one of the following values: in_app, email, sms, push, slack, webhook, discord',
    );
    await http('post', '/api/notifications/templates')
      .send({ name: 'nowhere', title_template: 'T', message_template: 'M', channels: ['discord', 'teams'] })
      .expect(400);
    await http('get', '/api/notifications/user/bob?channel=teams').expect(400);
    await http('post', '/api/notifications/retry')
      .send({ channel: 'in_app', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' })
      .expect(400);
    expect(discord.requests.length).toBe(before);
  });

  it("keeps the user's preferences for the host's channel like any other's", async () => {
    await http('post', '/api/notifications/preferences')
      .send({ user_id: 'cy', notification_type: 'promo', channel: 'discord', enabled: false })
      .expect(200);
    await http('post', '/api/notifications/preferences')
      .send({ user_id: 'cy', notification_type: 'promo', channel: 'teams', enabled: false })
      .expect(400);
    const effective = await http('get', '/api/notifications/preferences/cy/promo/discord').expect(200);
    expect(effective.body.preference).toMatchObject({
      channel: 'discord',
      enabled: false,
      matched: { notification_type: 'promo', channel: 'discord' },
    });
    await http('get', '/api/notifications/preferences/cy/promo/teams').expect(400);

    const suppressed = await http('post', '/api/notifications/send')
      .send({ user_id: 'cy', title: 'Sale', message: 'M', notification_type: 'promo', channel: 'discord', data: { discord_user_id: '9' } })
      .expect(200);
    expect(suppressed.body).toMatchObject({ status: 'suppressed', notification_id: null });
    expect(suppressed.body.reason).toContain('on discord');
    // The same type in-app is not affected.
    await http('post', '/api/notifications/send')
      .send({ user_id: 'cy', title: 'Sale', message: 'M', notification_type: 'promo', channel: 'in_app' })
      .expect(201);
  });
});
