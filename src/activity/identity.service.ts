import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { AnalyticsService } from './analytics.service';
import type { IdentifyDto } from './dto/identify.dto';
import { Identity } from './entities/identity.entity';
import { IdentityRepository } from './repositories/identity.repository';
import { TraitsService } from './traits.service';
import type { Tx } from '../database/engine/tx';

/** The key anonymous visitors' events are kept under until identify. */
export function anonymousKey(anonymousId: string): string {
  return `anon:${anonymousId}`;
}

@Injectable()
export class IdentityService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly analytics: AnalyticsService,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly traits: TraitsService,
  ) {}

  /**
   * Ties an anonymous id to a user: its earlier events and sessions become the user's (their
   * analytics rebuilt from the merged history), and its later events go to the user. Identifying
   * it again to another user (a shared device) sends later events there; past ones stay.
   */
  identify(dto: IdentifyDto, ownerId: string | null = null): Promise<{ activities: number; sessions: number }> {
    return this.transactions.run((tx) => this.identifyIn(tx, dto, ownerId));
  }

  /**
   * identify, inside the caller's transaction. Traits are also merged into the user's. With
   * `ownerId` (a user token's user), an anonymous id another user was identified on is refused.
   */
  async identifyIn(tx: Tx, dto: IdentifyDto, ownerId: string | null = null): Promise<{ activities: number; sessions: number }> {
    const now = this.clock.now();
    const earlier = await this.identities.find(tx, dto.anonymous_id);
    // A user token speaks for one user: it may claim a visitor no one has claimed, or its own,
    // but not take over an anonymous id (a shared device) that another user was identified on.
    if (ownerId !== null && earlier && earlier.userId !== ownerId) {
      throw new ForbiddenException({
        code: 'forbidden',
        message: 'This anonymous_id is identified as another user; only a secret key may move it',
      });
    }
    await this.identities.store(
      tx,
      Object.assign(new Identity(), {
        anonymousId: dto.anonymous_id,
        userId: dto.user_id,
        traits: dto.traits ?? earlier?.traits ?? null,
        createdAt: earlier?.createdAt ?? now,
        updatedAt: now,
      }),
    );
    if (dto.traits) await this.traits.mergeUserTraits(tx, dto.user_id, dto.traits, now);
    const moved = await this.identities.moveHistory(tx, anonymousKey(dto.anonymous_id), dto.user_id);
    // What the visitor was known as before identify (traits, groups) is the user's too.
    await this.traits.moveUser(tx, anonymousKey(dto.anonymous_id), dto.user_id, now);
    if (moved.activities > 0 || moved.sessions > 0) await this.analytics.rebuild(tx, dto.user_id);
    return moved;
  }

  /**
   * Segment's alias: `previousId` is now `userId`. Its anonymous history always moves, as with
   * identify. With `mergeUsers` (an admin key only: a publishable key is public, and must not move
   * a known user's data to another id), `previousId` is also taken as a user id the host used
   * before: that user's events, sessions, traits and groups move too, and devices identified as it
   * follow to the new id.
   */
  async aliasIn(tx: Tx, previousId: string, userId: string, mergeUsers: boolean): Promise<{ activities: number; sessions: number }> {
    if (previousId === userId) return { activities: 0, sessions: 0 };
    const moved = await this.identifyIn(tx, { anonymous_id: previousId, user_id: userId });
    if (!mergeUsers) return moved;
    const asUser = await this.identities.moveHistory(tx, previousId, userId);
    await this.identities.repoint(tx, previousId, userId, this.clock.now());
    await this.traits.moveUser(tx, previousId, userId, this.clock.now());
    if (asUser.activities > 0 || asUser.sessions > 0) await this.analytics.rebuild(tx, userId);
    return { activities: moved.activities + asUser.activities, sessions: moved.sessions + asUser.sessions };
  }

  /** Whose events an anonymous id's are now: the identified user, or the anonymous key. */
  async resolve(tx: Tx, anonymousId: string): Promise<string> {
    return (await this.identities.find(tx, anonymousId))?.userId ?? anonymousKey(anonymousId);
  }
}
