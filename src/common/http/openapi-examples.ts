/**
 * One whole, working request body per operation, shown by Swagger UI's Try it out in place of a
 * sample it would otherwise build from every property's example (which named a session that does
 * not exist and mixed a template with a title). Sent in this order to a fresh service they all
 * succeed: test/openapi-examples.e2e-spec.ts does exactly that.
 *
 * Keyed by "METHOD path" as in the document; finalizeOpenApiDocument refuses a key with no
 * operation, so a renamed route cannot leave its example behind.
 */
const SEGMENT_CONTEXT = {
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
};

const segmentTrack = {
  userId: 'user123',
  event: 'Order Completed',
  properties: { revenue: 42.5, currency: 'EUR' },
  context: SEGMENT_CONTEXT,
};
const segmentPage = {
  userId: 'user123',
  name: 'Pricing',
  properties: { url: 'https://example.com/pricing', path: '/pricing' },
  context: SEGMENT_CONTEXT,
};
const segmentScreen = { userId: 'user123', name: 'Home', properties: { variant: 'dark' } };
const segmentIdentify = { userId: 'user123', traits: { email: 'ada@example.com', plan: 'pro' } };
const segmentAlias = { previousId: 'anon-7f3c2a', userId: 'user123' };
const segmentGroup = { userId: 'user123', groupId: 'acme', traits: { name: 'Acme', plan: 'enterprise' } };
const segmentBatch = {
  batch: [
    { type: 'page', ...segmentPage },
    { type: 'track', ...segmentTrack },
  ],
};

export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  'POST /api/auth/user-token': { user_id: 'user123', ttl_seconds: 3600 },
  'POST /api/auth/user-token/revoke': { user_id: 'user123' },
  'POST /api/activity/track': {
    user_id: 'user123',
    activity_type: 'page_view',
    page_url: '/pricing',
    referrer: 'https://www.google.com/',
    metadata: { utm_source: 'newsletter', plan: 'pro' },
  },
  'POST /api/activity/batch': {
    batch: [
      { user_id: 'user123', activity_type: 'page_view', page_url: '/dashboard', event_id: '0f8fad5b-d9cb-469f-a165-70867728950e' },
      {
        user_id: 'user123',
        activity_type: 'button_click',
        metadata: { button: 'upgrade' },
        event_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      },
    ],
  },
  'POST /api/activity/identify': { anonymous_id: 'anon-7f3c2a', user_id: 'user123', traits: { plan: 'pro' } },
  'POST /api/session/start': {
    user_id: 'user123',
    device_info: { platform: 'web', screen: '1920x1080' },
    context: { user_agent: SEGMENT_CONTEXT.userAgent, ip: SEGMENT_CONTEXT.ip },
  },
  'POST /api/analytics/funnel': {
    steps: ['/pricing', 'button_click'],
    within_seconds: 86400,
    from: '2026-11-01T00:00:00Z',
    to: '2026-12-31T23:59:59Z',
  },
  'POST /v1/track': segmentTrack,
  'POST /v1/t': segmentTrack,
  'POST /v1/page': segmentPage,
  'POST /v1/p': segmentPage,
  'POST /v1/screen': segmentScreen,
  'POST /v1/s': segmentScreen,
  'POST /v1/identify': segmentIdentify,
  'POST /v1/i': segmentIdentify,
  'POST /v1/alias': segmentAlias,
  'POST /v1/a': segmentAlias,
  'POST /v1/group': segmentGroup,
  'POST /v1/g': segmentGroup,
  'POST /v1/batch': segmentBatch,
  'POST /v1/b': segmentBatch,
  'POST /v1/import': segmentBatch,
  'POST /api/notifications/templates': {
    name: 'welcome',
    title_template: 'Welcome {{user_name}}!',
    message_template: 'Hi {{user_name}}, thanks for joining {{app_name}}.',
    channels: ['in_app', 'email'],
    category: 'onboarding',
  },
  'PUT /api/notifications/templates/{name}': { title_template: 'Welcome aboard, {{user_name}}!' },
  'PUT /api/notifications/templates/{name}/locales/{locale}': {
    title_template: 'Bem-vindo, {{user_name}}!',
    message_template: 'Olá {{user_name}}, obrigado por entrar no {{app_name}}.',
  },
  'POST /api/notifications/preferences': { user_id: 'user123', notification_type: 'marketing', channel: 'email', enabled: false },
  'PUT /api/notifications/preferences/{user_id}': {
    cells: [
      { notification_type: 'marketing', channel: 'email', enabled: false },
      { notification_type: '*', channel: 'sms', enabled: false },
      { notification_type: 'product_updates', channel: '*', enabled: true },
    ],
    digests: [{ notification_type: 'marketing', digest: 'weekly' }],
  },
  'PUT /api/notifications/types/{type}': {
    default_enabled: true,
    required: true,
    label: 'Security alerts',
    description: 'Sign-ins from new devices and password changes.',
    category: 'account',
  },
  'POST /api/notifications/send': {
    user_id: 'user123',
    title: 'Welcome!',
    message: 'Thanks for joining our platform',
    notification_type: 'welcome',
    channel: 'in_app',
    priority: 'normal',
    data: { url: '/getting-started' },
    actions: [
      { action_id: 'accept', label: 'Take the tour', url: 'https://example.com/getting-started' },
      { action_id: 'dismiss', label: 'Later' },
    ],
  },
  'POST /api/notifications/snooze/{notification_id}': { until: '2030-01-07T09:00:00Z' },
  'POST /api/notifications/user/{user_id}/read-all': { notification_type: 'welcome' },
  'POST /api/notifications/fan-out': {
    user_ids: ['user123', 'user456'],
    title: 'Release 2.0 is out',
    message: 'See what is new',
    notification_type: 'release',
    channel: 'in_app',
  },
  'PUT /api/topics/{key}/subscribers': { user_ids: ['user123', 'user456'] },
  'DELETE /api/topics/{key}/subscribers': { user_ids: ['user456'] },
  'PUT /api/notifications/preferences/{user_id}/schedule': {
    timezone: 'Europe/London',
    quiet_hours: [
      { days: [1, 2, 3, 4, 5], start: '22:00', end: '07:00' },
      { days: [6, 7], start: '23:00', end: '09:00' },
    ],
  },
  'POST /api/notifications/preferences/{user_id}/pause': { minutes: 60 },
  'POST /api/notifications/retry': { channel: 'email', from: '2026-11-26T00:00:00Z', to: '2026-11-27T00:00:00Z' },
  'POST /api/devices/register': {
    user_id: 'user123',
    token: 'fcm-registration-token-abc123',
    platform: 'android',
    device_info: { model: 'Pixel 9', app_version: '2.4.0' },
  },
  'POST /api/notifications/stream/ticket': { user_id: 'user123' },
  'PUT /api/users/{user_id}/contact': { email: 'ada@example.com', phone: '+447700900123', locale: 'en-GB', timezone: 'Europe/London' },
};
