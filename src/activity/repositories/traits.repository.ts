import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { toStoredRow } from '../../database/stored-row';
import { UserGroupMember } from '../entities/user-group-member.entity';
import { UserGroup } from '../entities/user-group.entity';
import { UserTraits } from '../entities/user-traits.entity';
import type { Db, Tx } from '../../database/engine/tx';

/** User traits, groups and memberships (identify and group calls). */
@Injectable()
export class TraitsRepository {
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findUserTraits(db: Db, userId: string): Promise<UserTraits | null> {
    return db.findOneBy(UserTraits, { userId });
  }

  async storeUserTraits(tx: Tx, row: UserTraits): Promise<void> {
    await tx.upsert(UserTraits, row, ['userId']);
  }

  async deleteUserTraits(tx: Tx, userId: string): Promise<void> {
    await tx.delete(UserTraits, { userId });
  }

  findGroup(db: Db, groupId: string): Promise<UserGroup | null> {
    return db.findOneBy(UserGroup, { groupId });
  }

  async storeGroup(tx: Tx, group: UserGroup): Promise<void> {
    await tx.upsert(UserGroup, group, ['groupId']);
  }

  /** Adds a membership; an existing one keeps its first joined_at. */
  async addMember(tx: Tx, member: UserGroupMember): Promise<void> {
    await tx.createQueryBuilder().insert().into(UserGroupMember).values(member).orIgnore().execute();
  }

  /** Moves `from`'s memberships to `to` (alias); those `to` already has are dropped. */
  async moveMemberships(tx: Tx, from: string, to: string): Promise<void> {
    const memberships = await tx.findBy(UserGroupMember, { userId: from });
    for (const membership of memberships) await this.addMember(tx, { ...membership, userId: to });
    await tx.delete(UserGroupMember, { userId: from });
  }

  /** A user's memberships with their groups' traits, for export. */
  async membershipsOf(db: Db, userId: string): Promise<Record<string, unknown>[]> {
    const memberships = await db.find(UserGroupMember, { where: { userId }, order: { joinedAt: 'ASC' } });
    if (memberships.length === 0) return [];
    const groups = await db.findBy(UserGroup, { groupId: In(memberships.map((m) => m.groupId)) });
    const byId = new Map(groups.map((group) => [group.groupId, group]));
    return memberships.map((membership) => {
      const group = byId.get(membership.groupId);
      return {
        ...toStoredRow(this.dataSource, UserGroupMember, membership),
        group_traits: group?.traits ?? null,
      };
    });
  }

  /** Erasure: the user's traits and memberships (groups belong to no one user and stay). */
  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await tx.delete(UserTraits, { userId });
    await tx.delete(UserGroupMember, { userId });
  }
}
