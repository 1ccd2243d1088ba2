import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The id of a user's last inbox event. It outlives the events themselves (they go after 24
 * hours), so ids never start over and a client's Last-Event-ID is always comparable with it.
 */
@Entity('inbox_event_heads')
export class InboxEventHead {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'last_event_id', type: 'integer', default: 0 })
  lastEventId: number;
}
