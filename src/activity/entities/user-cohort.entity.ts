import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user's first active day: new vs returning users, and retention cohorts. */
@Entity('user_cohorts')
@Index('idx_user_cohorts_first_day', ['firstDay'])
export class UserCohort {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  /** YYYY-MM-DD, UTC. */
  @Column({ name: 'first_day', type: 'varchar', length: 10 })
  firstDay: string;
}
