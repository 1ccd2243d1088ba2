import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { AnalyticsService } from './analytics.service';
import type { IdentifyDto } from './dto/identify.dto';
import { Identity } from './entities/identity.entity';
import { IdentityRepository } from './repositories/identity.repository';

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
  ) {}

  /**
   * Ties an anonymous id to a user: its earlier events and sessions become the user's (their
   * analytics rebuilt from the merged history), and its later events go to the user. Identifying
   * it again to another user (a shared device) sends later events there; past ones stay.
   */
  identify(dto: IdentifyDto): Promise<{ activities: number; sessions: number }> {
    return this.transactions.run(async (manager) => {
      const now = this.clock.now();
      const earlier = await this.identities.find(dto.anonymous_id, manager);
      await this.identities.store(
        Object.assign(new Identity(), {
          anonymousId: dto.anonymous_id,
          userId: dto.user_id,
          traits: dto.traits ?? earlier?.traits ?? null,
          createdAt: earlier?.createdAt ?? now,
          updatedAt: now,
        }),
        manager,
      );
      const moved = await this.identities.moveHistory(anonymousKey(dto.anonymous_id), dto.user_id, manager);
      if (moved.activities > 0 || moved.sessions > 0) await this.analytics.rebuild(manager, dto.user_id);
      return moved;
    });
  }

  /** Whose events an anonymous id's are now: the identified user, or the anonymous key. */
  async resolve(anonymousId: string, manager: EntityManager): Promise<string> {
    return (await this.identities.find(anonymousId, manager))?.userId ?? anonymousKey(anonymousId);
  }
}
