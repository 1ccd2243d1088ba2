import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A user's inbox counts, changed in the same transaction as the notifications they count, so a
 * badge is one primary-key read however large the inbox (see inbox-counts.ts for what counts).
 */
@Entity('inbox_counters')
export class InboxCounter {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'integer', default: 0 })
  total: number;

  @Column({ type: 'integer', default: 0 })
  unread: number;

  @Column({ type: 'integer', default: 0 })
  unseen: number;
}
