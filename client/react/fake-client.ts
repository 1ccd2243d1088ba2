import type { InboxStream } from '../sdk/inbox-stream';
import type { EngageNotification, InboxCounts, InboxEvent, MatrixUpdate, NotificationSchedule, PreferenceMatrix } from '../sdk/types';
import type { InboxClient } from './inbox-client';

/** A notification as the API answers it, with what a test gives. */
export function notification(fields: Partial<EngageNotification> & { id: string }): EngageNotification {
  return {
    user_id: 'ada',
    title: `Title ${fields.id}`,
    message: 'Message',
    notification_type: 'comment',
    channel: 'in_app',
    status: 'sent',
    data: null,
    priority: 'normal',
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    scheduled_at: null,
    sent_at: null,
    read_at: null,
    seen_at: null,
    archived_at: null,
    snoozed_until: null,
    category: null,
    actions: [],
    action_taken: null,
    silent: false,
    digest_id: null,
    ...fields,
  };
}

/**
 * An InboxClient over a list in memory, as the API would keep it, with a stream the test feeds.
 * `failNext` makes the next action reject, as a refused or failed request would.
 */
export class FakeClient {
  readonly userId = 'ada';
  items: EngageNotification[];
  failNext: Error | null = null;
  matrix: PreferenceMatrix | null = null;
  schedule: NotificationSchedule = {
    user_id: 'ada',
    timezone: 'Europe/London',
    timezone_set: true,
    quiet_hours: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '07:00' }],
    paused_until: null,
    holds_until: null,
  };
  readonly updates: MatrixUpdate[] = [];
  readonly calls: string[] = [];
  private readonly listeners = new Set<(event: InboxEvent) => void>();

  constructor(items: EngageNotification[]) {
    this.items = items;
  }

  get countsNow(): InboxCounts {
    const inbox = this.items.filter((i) => i.archived_at === null && i.snoozed_until === null);
    return { total: inbox.length, unread: inbox.filter((i) => !i.read_at).length, unseen: inbox.filter((i) => !i.seen_at).length };
  }

  emit(event: InboxEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  asClient(): InboxClient {
    const change = (name: string, id: string, fields: Partial<EngageNotification>) => async () => {
      this.calls.push(`${name} ${id}`);
      await Promise.resolve();
      if (this.failNext) {
        const error = this.failNext;
        this.failNext = null;
        throw error;
      }
      this.items = this.items.map((i) => (i.id === id ? { ...i, ...fields } : i));
      return { notification: this.items.find((i) => i.id === id)!, counts: this.countsNow };
    };
    const now = () => new Date().toISOString();
    const client: Partial<InboxClient> = {
      userId: this.userId,
      listInbox: async (query = {}) => ({
        notifications: this.items.filter((i) =>
          query.archived ? i.archived_at !== null : i.archived_at === null && !i.snoozed_until && (!query.unread_only || !i.read_at),
        ),
        unread_count: this.countsNow.unread,
        next_cursor: null,
      }),
      counts: async () => this.countsNow,
      markRead: (id) => change('read', id, { read_at: now() })(),
      archive: (id) => change('archive', id, { archived_at: now() })(),
      unarchive: (id) => change('unarchive', id, { archived_at: null })(),
      snooze: (id, until) => change('snooze', id, { snoozed_until: until.toISOString() })(),
      takeAction: (id, actionId) => change(`action:${actionId}`, id, { action_taken: { action_id: actionId, at: now() } })(),
      markAllRead: async () => {
        this.calls.push('read-all');
        this.items = this.items.map((i) => ({ ...i, read_at: i.read_at ?? now() }));
        return { updated: 1, counts: this.countsNow };
      },
      markAllSeen: async () => {
        this.calls.push('seen-all');
        this.items = this.items.map((i) => ({ ...i, seen_at: i.seen_at ?? now() }));
        return { updated: 1, counts: this.countsNow };
      },
      preferenceMatrix: async () => this.matrix!,
      updatePreferences: async (update) => {
        this.updates.push(update);
        await Promise.resolve();
        if (this.failNext) {
          const error = this.failNext;
          this.failNext = null;
          throw error;
        }
        const matrix = this.matrix!;
        this.matrix = {
          ...matrix,
          types: matrix.types.map((row) => {
            const digest = update.digests?.find((d) => d.notification_type === row.notification_type);
            return {
              ...row,
              ...(digest && { digest: digest.digest ?? 'instant', digest_source: 'user_type' }),
              cells: row.cells.map((cell) => {
                const set = update.cells?.find((c) => c.notification_type === row.notification_type && c.channel === cell.channel);
                return set ? { ...cell, enabled: set.enabled, source: 'user_type_channel' } : cell;
              }),
            };
          }),
        };
        return this.matrix;
      },
      schedule: async () => this.schedule,
      putSchedule: async (schedule) => {
        this.calls.push(`schedule ${JSON.stringify(schedule)}`);
        this.schedule = { ...this.schedule, timezone: schedule.timezone ?? this.schedule.timezone, quiet_hours: schedule.quiet_hours };
        return this.schedule;
      },
      pause: async (pause) => {
        this.calls.push(`pause ${JSON.stringify(pause)}`);
        this.schedule = { ...this.schedule, paused_until: new Date(Date.now() + 3600_000).toISOString() };
        return this.schedule;
      },
      resume: async () => {
        this.calls.push('resume');
        this.schedule = { ...this.schedule, paused_until: null };
        return this.schedule;
      },
      stream: () =>
        ({
          on: (listener: (event: InboxEvent) => void) => {
            this.listeners.add(listener);
            return () => this.listeners.delete(listener);
          },
          start: () => undefined,
          stop: () => undefined,
        }) as unknown as InboxStream,
    };
    return client as InboxClient;
  }
}
