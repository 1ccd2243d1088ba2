import { Column, Entity, PrimaryColumn } from 'typeorm';

/** App-wide totals of one UTC day, kept by the ingest path (bots left out). */
@Entity('daily_stats')
export class DailyStat {
  /** YYYY-MM-DD, UTC. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'integer', default: 0 })
  events: number;

  /** Sessions that started this day. */
  @Column({ name: 'sessions_started', type: 'integer', default: 0 })
  sessionsStarted: number;

  /** Of the sessions that started this day, those that have ended. */
  @Column({ name: 'sessions_ended', type: 'integer', default: 0 })
  sessionsEnded: number;

  /** Seconds summed over the ended sessions that started this day. */
  @Column({ name: 'session_seconds', type: 'double precision', default: 0 })
  sessionSeconds: number;
}
