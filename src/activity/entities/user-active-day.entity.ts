import { Entity, Index, PrimaryColumn } from 'typeorm';

/** A (user, UTC day) with at least one activity: active_days per user, and active users per day. */
@Entity('user_active_days')
@Index('idx_user_active_days_day', ['day', 'userId'])
export class UserActiveDay {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  /** YYYY-MM-DD, UTC. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;
}
