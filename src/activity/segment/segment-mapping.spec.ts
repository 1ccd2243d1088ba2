import { plainToInstance } from 'class-transformer';
import type { SegmentMessageDto } from './segment-message.dto';
import { SEGMENT_MESSAGE_TYPES, SegmentType, toOperation, withTextIds } from './segment-mapping';

const message = (type: SegmentType, raw: Record<string, unknown>): SegmentMessageDto =>
  plainToInstance(SEGMENT_MESSAGE_TYPES[type] as never, withTextIds(raw));

describe(toOperation.name, () => {
  it('maps track onto an activity named by the event, its properties as metadata, messageId as event_id', () => {
    const operation = toOperation(
      'track',
      message('track', {
        userId: 'u1',
        event: 'Order Completed',
        properties: { revenue: 42 },
        messageId: 'm-1',
        timestamp: '2026-11-26T09:00:00.000Z',
      }),
      {},
    );
    expect(operation).toMatchObject({
      kind: 'activity',
      event: {
        user_id: 'u1',
        activity_type: 'Order Completed',
        metadata: { revenue: 42 },
        event_id: 'm-1',
        timestamp: '2026-11-26T09:00:00.000Z',
        referrer: undefined,
      },
    });
  });

  it('gives a page its URL from properties.url, then properties.path, then context.page', () => {
    const url = (raw: Record<string, unknown>) => {
      const operation = toOperation('page', message('page', { userId: 'u1', ...raw }), {});
      return 'event' in operation ? operation.event.page_url : undefined;
    };
    expect(url({ properties: { url: 'https://a.example/x', path: '/x' } })).toBe('https://a.example/x');
    expect(url({ properties: { path: '/x' }, context: { page: { url: 'https://a.example/y' } } })).toBe('/x');
    expect(url({ context: { page: { url: 'https://a.example/y', path: '/y' } } })).toBe('https://a.example/y');
    expect(url({ context: { page: { path: '/y' } } })).toBe('/y');
    expect(url({})).toBeUndefined();
  });

  it("takes a page's referrer from its properties or context.page, and keeps name and category in metadata", () => {
    const operation = toOperation(
      'page',
      message('page', { userId: 'u1', name: 'Pricing', category: 'Docs', context: { page: { referrer: 'https://google.com/' } } }),
      {},
    );
    expect(operation).toMatchObject({
      event: { activity_type: 'page_view', referrer: 'https://google.com/', metadata: { name: 'Pricing', category: 'Docs' } },
    });
  });

  it('maps screen onto screen_view with its name, and track keeps no referrer', () => {
    expect(toOperation('screen', message('screen', { anonymousId: 'a1', name: 'Home' }), {})).toMatchObject({
      event: { activity_type: 'screen_view', anonymous_id: 'a1', metadata: { name: 'Home' }, page_url: undefined },
    });
    const track = toOperation(
      'track',
      message('track', { userId: 'u1', event: 'E', context: { page: { referrer: 'https://x.example/', path: '/p' } } }),
      {},
    );
    expect(track).toMatchObject({ event: { referrer: undefined, page_url: '/p' } });
  });

  it("merges the batch's context under the message's and takes the batch's sentAt when the message has none", () => {
    const operation = toOperation('track', message('track', { userId: 'u1', event: 'E', context: { locale: 'fr' } }), {
      sentAt: '2026-11-26T09:00:05.000Z',
      context: { locale: 'en', library: { name: 'x' } },
    });
    expect(operation).toMatchObject({
      event: { context: { locale: 'fr', library: { name: 'x' } } },
      sentAt: new Date('2026-11-26T09:00:05.000Z'),
    });
  });

  it('reads numeric ids as text and null ids as absent', () => {
    expect(toOperation('track', message('track', { userId: 42, anonymousId: null, event: 'E' }), {})).toMatchObject({
      event: { user_id: '42', anonymous_id: undefined },
    });
  });

  it('names what is missing or too long', () => {
    expect(toOperation('track', message('track', { event: 'E' }), {})).toEqual([
      { field: 'userId', messages: ['userId or anonymousId is required'] },
    ]);
    expect(toOperation('alias', message('alias', { previousId: 'a1' }), {})).toEqual([
      { field: 'userId', messages: ['userId is required for alias'] },
    ]);
    expect(toOperation('page', message('page', { userId: 'u1', properties: { url: 'x'.repeat(2049) } }), {})).toEqual([
      { field: 'properties.url', messages: ['properties.url must be at most 2048 characters'] },
    ]);
  });

  it('maps identify, alias and group onto their operations', () => {
    expect(toOperation('identify', message('identify', { userId: 'u1', anonymousId: 'a1', traits: { plan: 'pro' } }), {})).toEqual({
      kind: 'identify',
      userId: 'u1',
      anonymousId: 'a1',
      traits: { plan: 'pro' },
    });
    expect(toOperation('alias', message('alias', { userId: 'u1', previousId: 'old' }), {})).toEqual({
      kind: 'alias',
      previousId: 'old',
      userId: 'u1',
    });
    expect(toOperation('group', message('group', { userId: 'u1', groupId: 'acme' }), {})).toEqual({
      kind: 'group',
      userId: 'u1',
      anonymousId: undefined,
      groupId: 'acme',
      traits: {},
    });
  });
});
