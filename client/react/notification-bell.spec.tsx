import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import NotificationBellDefault, { NotificationBell } from './notification-bell';
import { FakeClient, notification } from './fake-client';

function setup(
  items = [notification({ id: 'n1' }), notification({ id: 'n2' }), notification({ id: 'n3', read_at: new Date().toISOString() })],
) {
  const fake = new FakeClient(items);
  const navigated: string[] = [];
  render(<NotificationBell userId="ada" client={fake.asClient()} onNavigate={(url) => navigated.push(url)} />);
  return { fake, navigated, bell: () => screen.getByRole('button', { name: /^Notifications/ }) };
}

describe('NotificationBell', () => {
  it('is a button named with the unread count, the badge hidden from screen readers, capped at 99+', async () => {
    const { bell } = setup();
    await waitFor(() => expect(bell()).toHaveProperty('ariaLabel', 'Notifications, 2 unread'));
    expect(bell().getAttribute('aria-expanded')).toBe('false');
    expect(bell().querySelector('.engage-bell__badge')?.getAttribute('aria-hidden')).toBe('true');
    expect(bell().textContent).toBe('2');
    expect(NotificationBellDefault).toBe(NotificationBell);
  });

  it('caps the badge at 99+', async () => {
    const many = Array.from({ length: 120 }, (_, i) => notification({ id: `m${i}` }));
    const { bell } = setup(many);
    await waitFor(() => expect(bell().textContent).toBe('99+'));
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 120 unread');
  });

  it('opens a labelled dialog that takes focus, marks all seen, and closes on Escape or the bell, giving focus back', async () => {
    const { fake, bell } = setup();
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    fireEvent.click(bell());
    const dialog = await screen.findByRole('dialog', { name: 'Notifications' });
    expect(bell().getAttribute('aria-expanded')).toBe('true');
    expect(bell().getAttribute('aria-controls')).toBe(dialog.id);
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('tab', { name: 'All' })));
    await waitFor(() => expect(fake.calls).toContain('seen-all'));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(bell());
    fireEvent.click(bell());
    fireEvent.click(bell());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(bell());
  });

  it('lists the inbox, marks an item read when opened, and all read at once', async () => {
    const { fake, bell } = setup();
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    fireEvent.click(bell());
    expect(await screen.findAllByRole('listitem')).toHaveLength(3);
    // Relative times, by Intl.RelativeTimeFormat.
    expect(screen.getAllByText('5 minutes ago')).toHaveLength(3);
    fireEvent.click(screen.getByRole('button', { name: /Title n1/ }));
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 1 unread'));
    expect(fake.calls).toContain('read n1');
    fireEvent.click(screen.getByRole('button', { name: 'Mark all as read' }));
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications'));
    expect(fake.calls).toContain('read-all');
  });

  it('archives and snoozes, and shows the archive in its tab', async () => {
    const { fake, bell } = setup();
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    fireEvent.click(bell());
    const first = (await screen.findByRole('button', { name: /Title n1/ })).closest('li')!;
    fireEvent.click(within(first).getByRole('button', { name: 'Archive' }));
    const second = screen.getByRole('button', { name: /Title n2/ }).closest('li')!;
    fireEvent.click(within(second).getByRole('button', { name: 'Snooze 1 hour' }));
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1));
    expect(fake.calls).toEqual(expect.arrayContaining(['archive n1', 'snooze n2']));
    fireEvent.click(screen.getByRole('tab', { name: 'Archived' }));
    // The archive's page replaces the inbox's once it has loaded.
    await screen.findByRole('button', { name: /Title n1/ });
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('takes an action and follows its link', async () => {
    const item = notification({ id: 'n1', actions: [{ action_id: 'view', label: 'View order', url: '/orders/7', completed: false }] });
    const { fake, navigated, bell } = setup([item]);
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 1 unread'));
    fireEvent.click(bell());
    fireEvent.click(await screen.findByRole('button', { name: 'View order' }));
    await waitFor(() => expect(fake.calls).toContain('action:view n1'));
    expect(navigated).toEqual(['/orders/7']);
    await waitFor(() => expect(screen.getByRole('button', { name: 'View order' }).getAttribute('aria-pressed')).toBe('true'));
  });

  it('shows a notification the stream brings, at the top, and announces it politely', async () => {
    const { fake, bell } = setup();
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    fireEvent.click(bell());
    await screen.findAllByRole('listitem');
    const arrived = notification({ id: 'live', title: 'Your order shipped' });
    act(() => fake.emit({ type: 'notification.created', id: '7', notification: arrived, counts: { total: 4, unread: 3, unseen: 1 } }));
    expect(bell().getAttribute('aria-label')).toBe('Notifications, 3 unread');
    expect(screen.getAllByRole('listitem')[0].textContent).toContain('Your order shipped');
    expect(screen.getByRole('status').textContent).toBe('New notification: Your order shipped');
    act(() => fake.emit({ type: 'notification.deleted', id: '8', notification_id: 'live', counts: { total: 3, unread: 2, unseen: 0 } }));
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
  });

  it('rolls back an action the API refuses, and says so', async () => {
    const { fake, bell } = setup();
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    fireEvent.click(bell());
    const item = await screen.findByRole('button', { name: /Title n1/ });
    await waitFor(() => expect(fake.calls).toContain('seen-all'));
    fake.failNext = new Error('Engage could not be reached');
    fireEvent.click(item);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Engage could not be reached'));
    await waitFor(() => expect(bell().getAttribute('aria-label')).toBe('Notifications, 2 unread'));
    expect(screen.getByRole('button', { name: /Title n1/ }).closest('li')!.className).toContain('engage-bell__item--unread');
  });

  it('says when the browser is offline, and stops saying it when it is back', async () => {
    const { bell } = setup();
    fireEvent.click(bell());
    await screen.findAllByRole('listitem');
    const online = jest.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    act(() => void window.dispatchEvent(new Event('offline')));
    expect(screen.getByText('You are offline: notifications will update when you are back')).toBeTruthy();
    online.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event('online')));
    expect(screen.queryByText('You are offline: notifications will update when you are back')).toBeNull();
    online.mockRestore();
  });

  it('shows an empty inbox, and an error it can retry', async () => {
    const fake = new FakeClient([]);
    const client = fake.asClient();
    let fail = true;
    const listInbox = client.listInbox;
    client.listInbox = async (query) => {
      if (fail) throw new Error('down');
      return listInbox(query);
    };
    render(<NotificationBell userId="ada" client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Notifications' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Notifications could not be loaded'));
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByText('No notifications yet')).toBeTruthy());
  });
});
