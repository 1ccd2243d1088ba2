import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import NotificationSettingsDefault, { NotificationSettings } from './notification-settings';
import { FakeClient } from './fake-client';
import type { PreferenceMatrix } from '../sdk/types';

const cell = (channel: string, enabled: boolean, required = false) => ({
  channel,
  enabled,
  source: required ? 'type_default' : 'default',
  required,
});

function matrix(): PreferenceMatrix {
  return {
    user_id: 'ada',
    channels: ['in_app', 'email', 'sms', 'push', 'slack', 'webhook'],
    digest_all: null,
    types: [
      {
        notification_type: 'marketing',
        label: 'Product news',
        description: null,
        category: null,
        required: false,
        registered: true,
        cells: ['in_app', 'email', 'sms', 'push', 'slack', 'webhook'].map((c) => cell(c, true)),
        digest: 'instant',
        digest_source: 'default',
      },
      {
        notification_type: 'security_alert',
        label: 'Security alerts',
        description: 'New sign-ins',
        category: null,
        required: true,
        registered: true,
        cells: ['in_app', 'email', 'sms', 'push', 'slack', 'webhook'].map((c) => cell(c, true, true)),
        digest: 'instant',
        digest_source: 'type_default',
      },
    ],
  };
}

function setup() {
  const fake = new FakeClient([]);
  fake.matrix = matrix();
  render(<NotificationSettings userId="ada" client={fake.asClient()} />);
  return fake;
}

describe('NotificationSettings', () => {
  it('shows the matrix as switches, a column per channel (webhook left out), and is both a named and a default export', async () => {
    setup();
    const email = await screen.findByRole('switch', { name: 'Product news: Email' });
    expect(email.getAttribute('aria-checked')).toBe('true');
    expect(screen.getAllByRole('switch')).toHaveLength(10);
    expect(screen.queryByRole('switch', { name: 'Product news: Webhook' })).toBeNull();
    expect(NotificationSettingsDefault).toBe(NotificationSettings);
  });

  it('locks a required type, saying why, and saves nothing when it is pressed', async () => {
    const fake = setup();
    const locked = await screen.findByRole('switch', { name: 'Security alerts: Email' });
    expect(locked.getAttribute('aria-disabled')).toBe('true');
    const reason = document.getElementById(locked.getAttribute('aria-describedby')!);
    expect(reason?.textContent).toBe('Always on: you cannot turn these off');
    fireEvent.click(locked);
    expect(locked.getAttribute('aria-checked')).toBe('true');
    expect(fake.updates).toEqual([]);
    expect((screen.getByRole('combobox', { name: 'Security alerts: How often' }) as HTMLSelectElement).disabled).toBe(true);
  });

  it('turns a cell off at once and saves it', async () => {
    const fake = setup();
    const email = await screen.findByRole('switch', { name: 'Product news: Email' });
    fireEvent.click(email);
    expect(email.getAttribute('aria-checked')).toBe('false');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Saved'));
    expect(fake.updates).toEqual([{ cells: [{ notification_type: 'marketing', channel: 'email', enabled: false }] }]);
  });

  it('rolls a refused change back, with a message', async () => {
    const fake = setup();
    const email = await screen.findByRole('switch', { name: 'Product news: Email' });
    fake.failNext = new Error('Engage could not be reached');
    fireEvent.click(email);
    expect(email.getAttribute('aria-checked')).toBe('false');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Your change could not be saved: Engage could not be reached'));
    expect(screen.getByRole('switch', { name: 'Product news: Email' }).getAttribute('aria-checked')).toBe('true');
  });

  it('saves a digest choice per type', async () => {
    const fake = setup();
    const digest = await screen.findByRole('combobox', { name: 'Product news: How often' });
    fireEvent.change(digest, { target: { value: 'weekly' } });
    await waitFor(() => expect(fake.updates).toEqual([{ digests: [{ notification_type: 'marketing', digest: 'weekly' }] }]));
    expect((screen.getByRole('combobox', { name: 'Product news: How often' }) as HTMLSelectElement).value).toBe('weekly');
  });

  it('edits quiet hours per weekday in a timezone, and pauses and resumes', async () => {
    const fake = setup();
    const saturday = await screen.findByRole('checkbox', { name: 'Saturday' });
    expect((screen.getByRole('checkbox', { name: 'Monday' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(saturday);
    fireEvent.click(screen.getByRole('button', { name: 'Save quiet hours' }));
    await waitFor(() => expect(fake.calls.some((call) => call.startsWith('schedule'))).toBe(true));
    const saved = JSON.parse(fake.calls.find((call) => call.startsWith('schedule'))!.slice('schedule '.length));
    expect(saved.timezone).toBe('Europe/London');
    expect(saved.quiet_hours.map((w: { days: number[] }) => w.days[0])).toEqual([1, 2, 3, 4, 5, 6]);
    fireEvent.click(screen.getByRole('button', { name: 'Pause for 1 hour' }));
    const resume = await screen.findByRole('button', { name: 'Resume notifications' });
    fireEvent.click(resume);
    await screen.findByRole('button', { name: 'Pause until tomorrow' });
    expect(fake.calls).toEqual(expect.arrayContaining(['pause {"minutes":60}', 'resume']));
  });
});
