import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/** The channels Engage has built in; a host may register more (NotificationModule.forRoot({ channels })). */
export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'sms', 'push', 'slack', 'webhook'] as const;
/** A built-in channel or one a host registered (see ChannelRegistry). */
export type NotificationChannel = string;

export const NOTIFICATION_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

/**
 * `digested`: gathered into a digest (`digest_id`), which goes out as one message; `throttled`:
 * past its type's hourly cap and dropped (`error` says so).
 */
export const NOTIFICATION_STATUSES = ['scheduled', 'queued', 'sent', 'delivered', 'read', 'failed', 'digested', 'throttled'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

@Entity('notifications')
@Index('idx_notifications_user_available', ['userId', 'availableAt', 'id'])
@Index('idx_notifications_user_unread', ['userId', 'readAt', 'availableAt'])
@Index('idx_notifications_status_scheduled', ['status', 'scheduledAt'])
@Index('idx_notifications_relist', ['relistAt'], { where: 'relist_at IS NOT NULL' })
@Index('idx_notifications_user_relist', ['userId', 'relistAt'], { where: 'relist_at IS NOT NULL' })
// (digest_id): a digest's items, when it is sent.
@Index('idx_notifications_digest', ['digestId'], { where: 'digest_id IS NOT NULL' })
export class Notification {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'varchar', length: 500 })
  title: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ name: 'notification_type', type: 'varchar', length: 100 })
  notificationType: string;

  @Column({ type: 'varchar', length: 20 })
  channel: NotificationChannel;

  @Column({ type: 'varchar', length: 20 })
  status: NotificationStatus;

  @Column({ type: 'json', nullable: true })
  data: JsonColumn | null;

  @Column({ type: 'varchar', length: 10, default: 'normal' })
  priority: NotificationPriority;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'scheduled_at', type: Date, nullable: true })
  scheduledAt: Date | null;

  /**
   * When the notification appears in the user's inbox: scheduled_at when given, created_at
   * otherwise. The inbox is ordered and paged by it, so a scheduled message shows up on top.
   */
  @Column({ name: 'available_at', type: Date })
  availableAt: Date;

  @Column({ name: 'sent_at', type: Date, nullable: true })
  sentAt: Date | null;

  @Column({ name: 'read_at', type: Date, nullable: true })
  readAt: Date | null;

  /** The HTML body of an email (message then holds its plain-text body); null on other channels. */
  @Column({ name: 'html_message', type: 'text', nullable: true })
  htmlMessage: string | null;

  @Column({ name: 'template_id', type: 'varchar', length: 36, nullable: true })
  templateId: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** When the user first saw it in a list (reading implies seeing). */
  @Column({ name: 'seen_at', type: Date, nullable: true })
  seenAt: Date | null;

  @Column({ name: 'archived_at', type: Date, nullable: true })
  archivedAt: Date | null;

  /** Out of the inbox until then; it comes back unread. */
  @Column({ name: 'snoozed_until', type: Date, nullable: true })
  snoozedUntil: Date | null;

  /**
   * When a notification out of the inbox (scheduled, or snoozed) comes in. In the inbox, and
   * counted, means: relist_at and archived_at both null.
   */
  @Column({ name: 'relist_at', type: Date, nullable: true })
  relistAt: Date | null;

  /** The category of its type, kept for filtering the inbox. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  category: string | null;

  /** Up to two buttons the inbox shows. */
  @Column({ type: 'json', nullable: true })
  actions: NotificationAction[] | null;

  @Column({ name: 'action_taken_id', type: 'varchar', length: 50, nullable: true })
  actionTakenId: string | null;

  @Column({ name: 'action_taken_at', type: Date, nullable: true })
  actionTakenAt: Date | null;

  /** Landed in the user's quiet hours or pause: in the inbox, without an alert. */
  @Column({ type: 'boolean', default: false })
  silent: boolean;

  /** The digest it was gathered into (status `digested`). */
  @Column({ name: 'digest_id', type: 'varchar', length: 36, nullable: true })
  digestId: string | null;
}

/** A button on a notification: a link to open, or an action the app handles by its id. */
export interface NotificationAction {
  action_id: string;
  label: string;
  url: string | null;
}
