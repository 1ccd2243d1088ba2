import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const DIGEST_STATES = ['open', 'sent', 'empty', 'suppressed'] as const;
export type DigestState = (typeof DIGEST_STATES)[number];

/**
 * One user's digest on one channel, gathering notifications until `due_at`, when it becomes one
 * message (`notification_id`). Notifications join it through their `digest_id`.
 */
@Entity('notification_digests')
// At most one open digest per user, channel and end: every notification due in the window joins it.
@Index('uq_notification_digests_open', ['userId', 'channel', 'dueAt'], { unique: true, where: "state = 'open'" })
// (state, due_at): the scheduler's look for open digests whose window has ended.
@Index('idx_notification_digests_due', ['state', 'dueAt'])
// (user_id): a user's digests, for export and erasure.
@Index('idx_notification_digests_user', ['userId'])
export class NotificationDigest {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'varchar', length: 20 })
  channel: string;

  /** The frequency that opened it (`hourly` also for a throttled type's excess). */
  @Column({ type: 'varchar', length: 10 })
  frequency: string;

  /** The end of its window, when it is sent. */
  @Column({ name: 'due_at', type: Date })
  dueAt: Date;

  /** `open` until due; then `sent` (as `notification_id`), `empty` (every item deleted) or `suppressed` (the user muted the channel). */
  @Column({ type: 'varchar', length: 12 })
  state: DigestState;

  /** The message it became. */
  @Column({ name: 'notification_id', type: 'varchar', length: 36, nullable: true })
  notificationId: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
