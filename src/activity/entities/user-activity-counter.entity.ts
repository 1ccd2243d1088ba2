import { Column, Entity, PrimaryColumn } from 'typeorm';

export type CounterKind = 'page' | 'feature' | 'referrer' | 'device';

/**
 * How often one user hit one page or used one feature. The full counts live here so the
 * top-N lists in user_analytics can be maintained exactly as each event arrives; they are read
 * by primary key only (hence no index on count: it would be rewritten on every increment).
 */
@Entity('user_activity_counters')
export class UserActivityCounter {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind: CounterKind;

  @PrimaryColumn({ type: 'varchar', length: 2048 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  count: number;
}
