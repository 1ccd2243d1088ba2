import { EngageApiError } from './engage-api-error';
import { InboxStream, type InboxStreamOptions } from './inbox-stream';
import type {
  EngageNotification,
  InboxCounts,
  InboxPage,
  InboxQuery,
  MatrixUpdate,
  NotificationSchedule,
  PreferenceMatrix,
  QuietWindow,
} from './types';

export interface EngageClientOptions {
  /** Where Engage is (default: this page's origin). */
  baseUrl?: string;
  /** The user whose inbox this is. */
  userId: string;
  /** A user token; or `getToken`, called for each request and again after a 401, so a host can refresh short-lived tokens. */
  token?: string;
  getToken?: () => string | Promise<string>;
  /** For tests and server-side rendering; default: the global fetch. */
  fetch?: typeof fetch;
}

/** An inbox action's answer: the notification as it is now, and the user's counts. */
export interface InboxChange {
  notification: EngageNotification;
  counts: InboxCounts;
}

/**
 * A typed client for one user's side of Engage's API: the inbox and its counts, the actions on
 * it, the preference matrix, quiet hours, and the live stream. Every method answers the API's
 * own JSON (snake_case) or throws an EngageApiError with its status, code and fields.
 */
export class EngageClient {
  readonly userId: string;
  private readonly baseUrl: string;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: EngageClientOptions) {
    if (!options.token && !options.getToken) throw new Error('EngageClient needs a token or getToken');
    this.userId = options.userId;
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  listInbox(query: InboxQuery = {}): Promise<InboxPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return this.request('GET', `/api/notifications/user/${this.user}${search ? `?${search}` : ''}`);
  }

  async counts(): Promise<InboxCounts> {
    return (await this.request<{ counts: InboxCounts }>('GET', `/api/notifications/user/${this.user}/counts`)).counts;
  }

  markRead(id: string): Promise<InboxChange> {
    return this.act('read', id);
  }

  markUnread(id: string): Promise<InboxChange> {
    return this.act('unread', id);
  }

  markSeen(id: string): Promise<InboxChange> {
    return this.act('seen', id);
  }

  archive(id: string): Promise<InboxChange> {
    return this.act('archive', id);
  }

  unarchive(id: string): Promise<InboxChange> {
    return this.act('unarchive', id);
  }

  /** Out of the inbox until `until`, then back, unread, on top. */
  snooze(id: string, until: Date): Promise<InboxChange> {
    return this.request('POST', `/api/notifications/snooze/${encodeURIComponent(id)}`, { until: until.toISOString() });
  }

  unsnooze(id: string): Promise<InboxChange> {
    return this.act('unsnooze', id);
  }

  /** Records that the user took one of the notification's actions (its button shows as done). */
  takeAction(id: string, actionId: string): Promise<InboxChange> {
    return this.request('POST', `/api/notifications/actions/${encodeURIComponent(id)}/${encodeURIComponent(actionId)}`);
  }

  async remove(id: string): Promise<InboxCounts> {
    return (await this.request<{ counts: InboxCounts }>('DELETE', `/api/notifications/item/${encodeURIComponent(id)}`)).counts;
  }

  /** Marks every unread one read (of one type, if given). */
  markAllRead(notificationType?: string): Promise<{ updated: number; counts: InboxCounts }> {
    return this.request(
      'POST',
      `/api/notifications/user/${this.user}/read-all`,
      notificationType ? { notification_type: notificationType } : {},
    );
  }

  markAllSeen(): Promise<{ updated: number; counts: InboxCounts }> {
    return this.request('POST', `/api/notifications/user/${this.user}/seen-all`, {});
  }

  archiveRead(): Promise<{ updated: number; counts: InboxCounts }> {
    return this.request('POST', `/api/notifications/user/${this.user}/archive-read`, {});
  }

  /** Every known type × channel, with the effective value, where it came from, and the digest. */
  preferenceMatrix(): Promise<PreferenceMatrix> {
    return this.request('GET', `/api/notifications/preferences/${this.user}?view=matrix`);
  }

  /** Sets many cells and digest choices in one transaction (all or none); answers the matrix after. */
  updatePreferences(update: MatrixUpdate): Promise<PreferenceMatrix> {
    return this.request('PUT', `/api/notifications/preferences/${this.user}`, update);
  }

  async schedule(): Promise<NotificationSchedule> {
    return (await this.request<{ schedule: NotificationSchedule }>('GET', `/api/notifications/preferences/${this.user}/schedule`)).schedule;
  }

  async putSchedule(schedule: { timezone?: string; quiet_hours: QuietWindow[] }): Promise<NotificationSchedule> {
    return (await this.request<{ schedule: NotificationSchedule }>('PUT', `/api/notifications/preferences/${this.user}/schedule`, schedule))
      .schedule;
  }

  /** Do not disturb: `{minutes}`, `{until}` (ISO 8601) or `{until_tomorrow: true}`. */
  async pause(pause: { minutes?: number; until?: string; until_tomorrow?: boolean }): Promise<NotificationSchedule> {
    return (await this.request<{ schedule: NotificationSchedule }>('POST', `/api/notifications/preferences/${this.user}/pause`, pause))
      .schedule;
  }

  async resume(): Promise<NotificationSchedule> {
    return (await this.request<{ schedule: NotificationSchedule }>('DELETE', `/api/notifications/preferences/${this.user}/pause`)).schedule;
  }

  /** A single-use ticket (30 s) for the stream's URL: an EventSource cannot send the token in a header. */
  async streamTicket(): Promise<string> {
    return (await this.request<{ ticket: string }>('POST', '/api/notifications/stream/ticket', {})).ticket;
  }

  /** The user's live inbox stream (not connected until `start`). */
  stream(options: Partial<InboxStreamOptions> = {}): InboxStream {
    return new InboxStream({
      ticket: () => this.streamTicket(),
      url: `${this.baseUrl}/api/notifications/stream`,
      key: `${this.baseUrl}|${this.userId}`,
      ...options,
    });
  }

  private get user(): string {
    return encodeURIComponent(this.userId);
  }

  private act(action: string, id: string): Promise<InboxChange> {
    return this.request('POST', `/api/notifications/${action}/${encodeURIComponent(id)}`);
  }

  private async token(): Promise<string> {
    return this.options.getToken ? await this.options.getToken() : (this.options.token as string);
  }

  private async request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(this.baseUrl + path, {
        method,
        headers: { Authorization: `Bearer ${await this.token()}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new EngageApiError(0, 'network_error', `Engage could not be reached: ${(error as Error).message}`);
    }
    // An expired token: the host's getToken gets one more chance to give a fresh one.
    if (response.status === 401 && this.options.getToken && !retried) return this.request(method, path, body, true);
    const answer = (await response.json().catch(() => null)) as (T & { error?: { code: string; message: string; details?: [] } }) | null;
    if (!response.ok) {
      const error = answer?.error;
      throw new EngageApiError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `HTTP ${response.status}`,
        error?.details ?? [],
      );
    }
    return answer as T;
  }
}
