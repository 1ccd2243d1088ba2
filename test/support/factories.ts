/** Request bodies with sensible defaults; override what a test is about. */
export const trackBody = (overrides: Record<string, unknown> = {}) => ({
  user_id: 'user123',
  activity_type: 'page_view',
  page_url: '/dashboard',
  ...overrides,
});

export const sendBody = (overrides: Record<string, unknown> = {}) => ({
  user_id: 'user123',
  title: 'Welcome!',
  message: 'Thanks for joining our platform',
  notification_type: 'welcome',
  channel: 'in_app',
  ...overrides,
});

export const templateBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'welcome',
  title_template: 'Welcome {{user_name}}!',
  message_template: 'Hi {{user_name}}, thanks for joining {{app_name}}.',
  channels: ['in_app', 'email', 'sms'],
  category: 'onboarding',
  ...overrides,
});
