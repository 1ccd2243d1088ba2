import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/** An anonymous visitor id that POST /api/activity/identify tied to a user. */
@Entity('identities')
// (user_id): a user's identified ids, for export, erasure and alias.
@Index('idx_identities_user', ['userId'])
export class Identity {
  @PrimaryColumn({ name: 'anonymous_id', type: 'varchar', length: 255 })
  anonymousId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'json', nullable: true })
  traits: JsonColumn | null;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
