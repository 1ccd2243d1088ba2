import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { toStoredRow } from '../../database/stored-row';
import { UserGroupMember } from '../entities/user-group-member.entity';
import { UserGroup } from '../entities/user-group.entity';
import { UserTraits } from '../entities/user-traits.entity';

/** User traits, groups and memberships (identify and group calls). */
@Injectable()
export class TraitsRepository {
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findUserTraits(userId: string, manager: EntityManager = this.dataSource.manager): Promise<UserTraits | null> {
    return manager.findOneBy(UserTraits, { userId });
  }

  async storeUserTraits(row: UserTraits, manager: EntityManager): Promise<void> {
    await manager.upsert(UserTraits, row, ['userId']);
  }

  async deleteUserTraits(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(UserTraits, { userId });
  }

  findGroup(groupId: string, manager: EntityManager): Promise<UserGroup | null> {
    return manager.findOneBy(UserGroup, { groupId });
  }

  async storeGroup(group: UserGroup, manager: EntityManager): Promise<void> {
    await manager.upsert(UserGroup, group, ['groupId']);
  }

  /** Adds a membership; an existing one keeps its first joined_at. */
  async addMember(member: UserGroupMember, manager: EntityManager): Promise<void> {
    await manager.createQueryBuilder().insert().into(UserGroupMember).values(member).orIgnore().execute();
  }

  /** Moves `from`'s memberships to `to` (alias); those `to` already has are dropped. */
  async moveMemberships(from: string, to: string, manager: EntityManager): Promise<void> {
    const memberships = await manager.findBy(UserGroupMember, { userId: from });
    for (const membership of memberships) await this.addMember({ ...membership, userId: to }, manager);
    await manager.delete(UserGroupMember, { userId: from });
  }

  /** A user's memberships with their groups' traits, for export. */
  async membershipsOf(userId: string): Promise<Record<string, unknown>[]> {
    const memberships = await this.dataSource.manager.find(UserGroupMember, { where: { userId }, order: { joinedAt: 'ASC' } });
    if (memberships.length === 0) return [];
    const groups = await this.dataSource.manager.findBy(UserGroup, { groupId: In(memberships.map((m) => m.groupId)) });
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
  async eraseUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(UserTraits, { userId });
    await manager.delete(UserGroupMember, { userId });
  }
}
