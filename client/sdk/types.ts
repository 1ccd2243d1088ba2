/** The API's shapes, as the SDK hands them over (the service's snake_case, as on the wire). */

export interface InboxCounts {
  total: number;
  unread: number;
  unseen: number;
}

export interface NotificationAction {
  action_id: string;
  label: string;
  url: string | null;
  completed: boolean;
}

export interface EngageNotification {
  id: string;
  user_id: string;
  title: string;
  message: string;
  notification_type: string;
  channel: string;
  status: string;
  data: Record<string, unknown> | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  created_at: string;
  scheduled_at: string | null;
  sent_at: string | null;
  read_at: string | null;
  seen_at: string | null;
  archived_at: string | null;
  snoozed_until: string | null;
  category: string | null;
  actions: NotificationAction[];
  action_taken: { action_id: string; at: string } | null;
  silent: boolean;
  digest_id: string | null;
}

export interface InboxPage {
  notifications: EngageNotification[];
  unread_count: number;
  next_cursor: string | null;
}

export interface InboxQuery {
  limit?: number;
  cursor?: string;
  archived?: boolean;
  snoozed?: boolean;
  unread_only?: boolean;
  notification_type?: string;
  category?: string;
  channel?: string;
}

export type DigestFrequency = 'instant' | 'hourly' | 'daily' | 'weekly';

export interface PreferenceCell {
  channel: string;
  enabled: boolean;
  source: string;
  required: boolean;
}

export interface PreferenceMatrixType {
  notification_type: string;
  label: string | null;
  description: string | null;
  category: string | null;
  required: boolean;
  registered: boolean;
  cells: PreferenceCell[];
  digest: DigestFrequency;
  digest_source: string;
}

export interface PreferenceMatrix {
  user_id: string;
  channels: string[];
  digest_all: DigestFrequency | null;
  types: PreferenceMatrixType[];
}

export interface MatrixUpdate {
  cells?: Array<{ notification_type: string; channel: string; enabled: boolean }>;
  digests?: Array<{ notification_type: string; digest: DigestFrequency | null }>;
}

export interface QuietWindow {
  days: number[];
  start: string;
  end: string;
}

export interface NotificationSchedule {
  user_id: string;
  timezone: string;
  timezone_set: boolean;
  quiet_hours: QuietWindow[];
  paused_until: string | null;
  holds_until: string | null;
}

/** An event of the inbox stream, parsed. */
export type InboxEvent =
  /** The counts as the stream opens, or after a bulk action (`bulk`: which; the list changed in many places). */
  | { type: 'counts'; id: string; counts: InboxCounts; bulk: { action: string; notification_type: string | null; updated: number } | null }
  | { type: 'notification.created' | 'notification.updated'; id: string; notification: EngageNotification; counts: InboxCounts }
  | { type: 'notification.deleted'; id: string; notification_id: string; counts: InboxCounts }
  /** Some events were missed and are no longer kept: refetch the list. */
  | { type: 'reset'; id: string; counts: InboxCounts };
