import { BadRequestException, HttpException } from '@nestjs/common';
import type { DeliveryConfig } from '../../config/delivery.config';
import { readDeliveryConfig } from '../../config/delivery.config';
import type { DeviceTokenRepository } from '../repositories/device-token.repository';
import type { UserContactRepository } from '../repositories/user-contact.repository';
import type { UserContact } from '../entities/user-contact.entity';
import type { ChannelProvider, ProviderResult } from './channel-provider';
import { buildChannelProviders, withRegisteredProviders } from './channel-provider.factory';
import { ChannelRegistry } from './channel-registry';
import { DeliveryPlannerService } from './delivery-planner.service';
import type { Db } from '../../database/engine/tx';

/** The planner only hands the handle on to the repositories, which these tests replace. */
const db = {} as Db;
import type { OutboundHttp } from './outbound-http';

/** A host's channel provider, as small as one can be. */
function hostProvider(channel: string, overrides: Partial<ChannelProvider<string>> = {}): ChannelProvider<string> {
  return {
    channel,
    name: `${channel}-host`,
    format: 'markdown',
    setupHint: null,
    recipientHint: `${channel} id: pass data.${channel}_id`,
    recipient: async ({ data }) => (typeof data?.[`${channel}_id`] === 'string' ? (data[`${channel}_id`] as string) : null),
    send: async (): Promise<ProviderResult> => ({ outcome: 'sent' }),
    ...overrides,
  };
}

const outbound = { policy: {} } as OutboundHttp;
const builtIn = (config: Partial<DeliveryConfig> = {}) =>
  buildChannelProviders(
    { ...readDeliveryConfig({}), ...config },
    async () => undefined,
    () => new Date(),
    outbound,
  );

describe(withRegisteredProviders.name, () => {
  it('builds one provider per built-in channel when nothing is configured, each naming what to set', () => {
    const sut = builtIn();
    expect(sut.map((p) => [p.channel, p.setupHint !== null])).toEqual([
      ['email', true],
      ['sms', true],
      ['push', true],
      ['slack', false],
      ['webhook', true],
    ]);
  });

  it("adds a host's channel after the built-in ones and replaces a built-in channel it names", () => {
    const discord = hostProvider('discord');
    const sendgrid = hostProvider('email');
    const sut = withRegisteredProviders(builtIn({ smtpUrls: ['smtp://127.0.0.1:25'], emailFrom: 'a@example.com' }), [discord, sendgrid]);
    expect(sut.map((p) => p.name)).toEqual(['twilio', 'push()', 'slack-webhook', 'webhook', 'discord-host', 'email-host']);
  });

  it('refuses at boot a channel name the API cannot carry, and in_app', () => {
    for (const channel of ['in_app', 'Discord', 'a'.repeat(21), '', '*', 'ms teams']) {
      expect(() => withRegisteredProviders([], [hostProvider(channel)])).toThrow(/a channel is 1 to 20 lower-case letters/);
    }
    expect(() => withRegisteredProviders([], [hostProvider('ms-teams_2')])).not.toThrow();
  });
});

describe(ChannelRegistry.name, () => {
  const sut = new ChannelRegistry(withRegisteredProviders(builtIn(), [hostProvider('discord', { format: 'mrkdwn' })]));

  it('knows in_app, the built-in channels and the registered ones', () => {
    expect(sut.names()).toEqual(['in_app', 'email', 'sms', 'push', 'slack', 'webhook', 'discord']);
    expect(() => sut.assertKnown('channel', 'discord')).not.toThrow();
    expect(() => sut.assertKnown('channel', 'in_app')).not.toThrow();
    expect(() => sut.assertKnown('channel', '*', { any: true })).not.toThrow();
  });

  it('refuses an unknown channel with a 400 naming the field and the channels it may be', () => {
    const refusal = (channel: string, options?: Parameters<ChannelRegistry['assertKnown']>[2]) => {
      try {
        sut.assertKnown('channel', channel, options);
      } catch (error) {
        expect(error).toBeInstanceOf(BadRequestException);
        return (error as BadRequestException).getResponse();
      }
      throw new Error(`${channel} was accepted`);
    };
    expect(refusal('teams')).toEqual({
      code: 'validation_failed',
      message: 'Invalid request: channel must be one of the following values: in_app, email, sms, push, slack, webhook, discord',
      details: [
        { field: 'channel', messages: ['channel must be one of the following values: in_app, email, sms, push, slack, webhook, discord'] },
      ],
    });
    expect(refusal('*')).toMatchObject({ details: [{ field: 'channel' }] });
    expect(refusal('in_app', { queued: true })).toMatchObject({ message: expect.not.stringContaining('in_app') });
  });

  it("renders each channel as its provider says: in_app as HTML, email as text with an HTML body, a host's in its format", () => {
    expect(sut.rendering('in_app')).toEqual({ format: 'html', htmlBody: false });
    expect(sut.rendering('email')).toEqual({ format: 'text', htmlBody: true });
    expect(sut.rendering('sms')).toEqual({ format: 'text', htmlBody: false });
    expect(sut.rendering('slack')).toEqual({ format: 'mrkdwn', htmlBody: false });
    expect(sut.rendering('discord')).toEqual({ format: 'mrkdwn', htmlBody: false });
  });

  it('offers only the providers that can send, and the setup hint when none can', () => {
    expect(sut.ready('email')).toEqual([]);
    expect(sut.setupHint('email')).toBe('set SMTP_URL and EMAIL_FROM');
    expect(sut.ready('discord').map((p) => p.name)).toEqual(['discord-host']);
  });
});

describe(DeliveryPlannerService.name, () => {
  const contact = { userId: 'u1', email: 'u1@example.com', phone: null, slackWebhookUrl: null, webhookUrl: null } as UserContact;
  const setup = (registered: ChannelProvider[] = []) => {
    const contacts = { findByUser: jest.fn(async () => contact) };
    const devices = { findActiveByUser: jest.fn(async () => []) };
    const channels = new ChannelRegistry(
      withRegisteredProviders(builtIn({ smtpUrls: ['smtp://127.0.0.1:25'], emailFrom: 'a@example.com' }), registered),
    );
    const sut = new DeliveryPlannerService(
      channels,
      contacts as unknown as UserContactRepository,
      devices as unknown as DeviceTokenRepository,
    );
    return { sut, contacts, devices };
  };
  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpException);
    return { status: (error as HttpException).getStatus(), body: (error as HttpException).getResponse() };
  };

  it("asks the channel's provider for the recipient, reading only the sources it needs", async () => {
    const { sut, contacts, devices } = setup();
    await expect(sut.assertDeliverable(db, 'email', 'u1', null)).resolves.toBeUndefined();
    expect(contacts.findByUser).toHaveBeenCalledTimes(1);
    expect(devices.findActiveByUser).not.toHaveBeenCalled();
    await expect(sut.assertDeliverable(db, 'in_app', 'u1', null)).resolves.toBeUndefined();
    expect(contacts.findByUser).toHaveBeenCalledTimes(1);
  });

  it("answers 422 with the provider's hints: not set up, or no address", async () => {
    const { sut } = setup([hostProvider('discord')]);
    await expect(rejection(sut.assertDeliverable(db, 'sms', 'u1', null))).resolves.toEqual({
      status: 422,
      body: {
        code: 'channel_not_configured',
        message: 'No provider is configured for sms: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM',
      },
    });
    await expect(rejection(sut.assertDeliverable(db, 'discord', 'u1', {}))).resolves.toEqual({
      status: 422,
      body: { code: 'no_recipient', message: 'User u1 has no discord id: pass data.discord_id' },
    });
    await expect(sut.assertDeliverable(db, 'discord', 'u1', { discord_id: '42' })).resolves.toBeUndefined();
    await expect(rejection(sut.assertDeliverable(db, 'push', 'u1', null))).resolves.toMatchObject({
      body: { code: 'channel_not_configured' },
    });
  });
});
