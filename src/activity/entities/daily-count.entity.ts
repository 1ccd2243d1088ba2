import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DailyCountKind = 'type' | 'page';

/** How often an activity type or a page occurred on one UTC day, app-wide. */
@Entity('daily_counts')
export class DailyCount {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  kind: DailyCountKind;

  @PrimaryColumn({ type: 'varchar', length: 2048 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  count: number;
}
