import { Injectable } from '@nestjs/common';
import type { JsonObject } from '../common/json';
import { UserGroup } from './entities/user-group.entity';
import { UserTraits } from './entities/user-traits.entity';
import { TraitsRepository } from './repositories/traits.repository';
import type { Tx } from '../database/engine/tx';

/** Most a user's or group's merged traits hold, as JSON; past it the oldest keys give way. */
export const MAX_STORED_TRAITS_BYTES = 32 * 1024;

/**
 * What identify and group calls say of users and groups. Traits merge as Segment's do: each call's
 * keys replace the same keys, others stay. Runs inside the caller's transaction.
 */
@Injectable()
export class TraitsService {
  constructor(private readonly traits: TraitsRepository) {}

  async mergeUserTraits(tx: Tx, userId: string, traits: JsonObject, now: Date): Promise<void> {
    const existing = await this.traits.findUserTraits(tx, userId);
    const merged = mergeBounded(existing?.traits ?? {}, traits);
    await this.traits.storeUserTraits(tx, Object.assign(new UserTraits(), { userId, traits: merged, updatedAt: now }));
  }

  /** Records a group's traits and the user's membership of it. */
  async joinGroup(tx: Tx, userId: string, groupId: string, traits: JsonObject, now: Date): Promise<void> {
    const existing = await this.traits.findGroup(tx, groupId);
    const merged = mergeBounded(existing?.traits ?? {}, traits);
    await this.traits.storeGroup(
      tx,
      Object.assign(new UserGroup(), { groupId, traits: merged, createdAt: existing?.createdAt ?? now, updatedAt: now }),
    );
    await this.traits.addMember(tx, { groupId, userId, joinedAt: now });
  }

  /** Gives `from`'s traits and memberships to `to` (alias); `to`'s own traits win. */
  async moveUser(tx: Tx, from: string, to: string, now: Date): Promise<void> {
    const moving = await this.traits.findUserTraits(tx, from);
    if (moving) {
      const target = await this.traits.findUserTraits(tx, to);
      const merged = mergeBounded(moving.traits, target?.traits ?? {});
      await this.traits.storeUserTraits(tx, Object.assign(new UserTraits(), { userId: to, traits: merged, updatedAt: now }));
      await this.traits.deleteUserTraits(tx, from);
    }
    await this.traits.moveMemberships(tx, from, to);
  }
}

/**
 * `update`'s keys over `current`'s. Stored traits must stay bounded, yet a merge must never fail:
 * identify and alias would then refuse to merge a visitor's history for a reason its client cannot
 * mend. So past MAX_STORED_TRAITS_BYTES the oldest of `current`'s other keys are dropped;
 * `update` itself is validated to fit.
 */
export function mergeBounded(current: JsonObject, update: JsonObject): JsonObject {
  const merged: JsonObject = { ...current, ...update };
  const size = (value: JsonObject) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (size(merged) <= MAX_STORED_TRAITS_BYTES) return merged;
  const kept: JsonObject = { ...update };
  const older = Object.keys(current).filter((key) => !(key in update));
  // Newest first: the keys a later call set are the ones still meant.
  for (const key of older.reverse()) {
    const candidate = { [key]: current[key], ...kept };
    if (size(candidate) > MAX_STORED_TRAITS_BYTES) break;
    Object.assign(kept, { [key]: current[key] });
  }
  return kept;
}
