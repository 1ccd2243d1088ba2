import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One event of a user's inbox stream, kept so that a client that reconnects gets what it missed
 * (`Last-Event-ID`). Written in the transaction of the change it tells of; `id` counts the user's
 * events (1, 2, 3…, see InboxEventHead), so a gap in what a stream has sent is plain to see.
 * Kept for 24 hours, and at most the user's last 1,000.
 */
@Entity('inbox_events')
// (created_at): the retention sweep finds what is past 24 hours.
@Index('idx_inbox_events_created', ['createdAt'])
export class InboxEventRecord {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @PrimaryColumn({ type: 'integer' })
  id: number;

  /** notification.created, notification.updated, notification.deleted or counts. */
  @Column({ type: 'varchar', length: 30 })
  type: string;

  /** The event's data as the stream sends it: JSON text, replayed byte for byte. */
  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
