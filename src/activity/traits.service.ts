import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { JsonObject } from '../common/json';
import { validationFailed } from '../common/validation/validation.pipe';
import { UserGroup } from './entities/user-group.entity';
import { UserTraits } from './entities/user-traits.entity';
import { TraitsRepository } from './repositories/traits.repository';

/** Most a user's or group's merged traits may hold, as JSON: each call adds up to 8 KiB. */
export const MAX_STORED_TRAITS_BYTES = 32 * 1024;

/**
 * What identify and group calls say of users and groups. Traits merge as Segment's do: each call's
 * keys replace the same keys, others stay. Runs inside the caller's transaction.
 */
@Injectable()
export class TraitsService {
  constructor(private readonly traits: TraitsRepository) {}

  async mergeUserTraits(manager: EntityManager, userId: string, traits: JsonObject, now: Date, field = 'traits'): Promise<void> {
    const existing = await this.traits.findUserTraits(userId, manager);
    const merged = mergeBounded(existing?.traits ?? {}, traits, field);
    await this.traits.storeUserTraits(Object.assign(new UserTraits(), { userId, traits: merged, updatedAt: now }), manager);
  }

  /** Records a group's traits and the user's membership of it. */
  async joinGroup(manager: EntityManager, userId: string, groupId: string, traits: JsonObject, now: Date, field = 'traits'): Promise<void> {
    const existing = await this.traits.findGroup(groupId, manager);
    const merged = mergeBounded(existing?.traits ?? {}, traits, field);
    await this.traits.storeGroup(
      Object.assign(new UserGroup(), { groupId, traits: merged, createdAt: existing?.createdAt ?? now, updatedAt: now }),
      manager,
    );
    await this.traits.addMember({ groupId, userId, joinedAt: now }, manager);
  }

  /** Gives `from`'s traits and memberships to `to` (alias); `to`'s own traits win. */
  async moveUser(manager: EntityManager, from: string, to: string, now: Date): Promise<void> {
    const moving = await this.traits.findUserTraits(from, manager);
    if (moving) {
      const target = await this.traits.findUserTraits(to, manager);
      const merged = mergeBounded(moving.traits, target?.traits ?? {}, 'traits');
      await this.traits.storeUserTraits(Object.assign(new UserTraits(), { userId: to, traits: merged, updatedAt: now }), manager);
      await this.traits.deleteUserTraits(from, manager);
    }
    await this.traits.moveMemberships(from, to, manager);
  }
}

function mergeBounded(current: JsonObject, update: JsonObject, field: string): JsonObject {
  const merged = { ...current, ...update };
  if (Buffer.byteLength(JSON.stringify(merged), 'utf8') > MAX_STORED_TRAITS_BYTES) {
    throw validationFailed([{ field, messages: [`${field} merged with those stored would exceed ${MAX_STORED_TRAITS_BYTES} bytes as JSON`] }]);
  }
  return merged;
}
