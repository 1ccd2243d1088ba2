import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/** What the host knows of a user (name, plan…), from identify calls: each call's traits merged in. */
@Entity('user_traits')
export class UserTraits {
  /** The user id, or `anon:<anonymous_id>` for a visitor not yet identified. */
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'json' })
  traits: JsonColumn;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
