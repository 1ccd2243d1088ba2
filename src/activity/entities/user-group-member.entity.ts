import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user's membership of a group. (user_id) serves export, erasure and alias. */
@Entity('user_group_members')
@Index('idx_user_group_members_user', ['userId'])
export class UserGroupMember {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 255 })
  groupId: string;

  /** The user id, or `anon:<anonymous_id>` for a visitor not yet identified. */
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'joined_at', type: Date })
  joinedAt: Date;
}
