import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { UserDataRepository } from './repositories/user-data.repository';
import { TraitsRepository } from './repositories/traits.repository';

/** A user's activity data for export, every stored field. */
export interface ActivityExport {
  activities: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  analytics: Record<string, unknown> | null;
  identities: Record<string, unknown>[];
  /** The traits identify calls stored (null when none). */
  traits: Record<string, unknown> | null;
  /** Group memberships, each with its group's traits. */
  groups: Record<string, unknown>[];
  /** The counts behind most_visited_pages, favorite_features, top_referrers and devices. */
  counters: Record<string, unknown>[];
  /** UTC days with activity (YYYY-MM-DD). */
  active_days: string[];
  /** First active day: the retention cohort. */
  cohort: string | null;
}

/** Data rights on the activity side: export everything of a user, or erase it. */
@Injectable()
export class UserDataService {
  constructor(
    private readonly data: UserDataRepository,
    private readonly traits: TraitsRepository,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  async export(userId: string): Promise<ActivityExport> {
    const [activities, sessions, analytics, identities, traits, groups, counters, activeDays, cohort] = await Promise.all([
      this.data.activities(this.transactions.reads, userId),
      this.data.sessions(this.transactions.reads, userId),
      this.data.analytics(this.transactions.reads, userId),
      this.data.identities(this.transactions.reads, userId),
      this.traits.findUserTraits(this.transactions.reads, userId),
      this.traits.membershipsOf(this.transactions.reads, userId),
      this.data.counters(this.transactions.reads, userId),
      this.data.activeDays(this.transactions.reads, userId),
      this.data.cohort(this.transactions.reads, userId),
    ]);
    return {
      activities,
      sessions,
      analytics,
      identities,
      traits: traits ? { traits: traits.traits, updated_at: traits.updatedAt.toISOString() } : null,
      groups,
      counters,
      active_days: activeDays,
      cohort,
    };
  }

  /**
   * Erases a user's activities, sessions, analytics, counters, identities, traits and group
   * memberships. App-wide rollups keep
   * their counts: the user's active days and cohort stay, under a random id that leads nowhere.
   */
  erase(userId: string): Promise<{ activities: number; sessions: number }> {
    return this.transactions.run(async (tx) => {
      await this.traits.eraseUser(tx, userId);
      return this.data.erase(tx, userId, `erased:${randomUUID()}`);
    });
  }
}
