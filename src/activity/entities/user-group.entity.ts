import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/** A group users belong to (a company, team or account), with the traits group calls gave it. */
@Entity('user_groups')
export class UserGroup {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 255 })
  groupId: string;

  @Column({ type: 'json' })
  traits: JsonColumn;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
