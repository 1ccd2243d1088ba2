import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import {
  analyticsFromHistory,
  applyActivity,
  applySessionEnd,
  applySessionStart,
  counterFor,
  emptyAnalytics,
  referrerHost,
} from './analytics-rules';
import type { CounterKind } from './entities/user-activity-counter.entity';
import { UserActivityCounter } from './entities/user-activity-counter.entity';
import { UserAnalytics } from './entities/user-analytics.entity';
import { RollupRepository } from './repositories/rollup.repository';
import { UserAnalyticsRepository } from './repositories/user-analytics.repository';
import type { Tx } from '../database/engine/tx';

/** The UTC day of a time, as the rollups key it. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Keeps each user's analytics current. Its record* methods run inside the caller's
 * transaction, so the aggregates change exactly when the events they count are stored.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly analytics: UserAnalyticsRepository,
    private readonly rollups: RollupRepository,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  /** A user's analytics; a user never seen has all-zero analytics rather than a 404. */
  async getUserAnalytics(userId: string): Promise<UserAnalytics> {
    return (await this.analytics.findByUserId(this.transactions.reads, userId)) ?? emptyAnalytics(userId);
  }

  async recordActivity(
    tx: Tx,
    event: {
      userId: string;
      activityType: string;
      pageUrl: string | null;
      referrer: string | null;
      timestamp: Date;
      receivedAt: Date | null;
      deviceType?: string | null;
    },
  ): Promise<void> {
    const targets: Array<{ kind: CounterKind; key: string }> = [];
    const main = counterFor(event.activityType, event.pageUrl);
    if (main) targets.push(main);
    const host = referrerHost(event.referrer);
    if (host) targets.push({ kind: 'referrer', key: host });
    if (event.deviceType) targets.push({ kind: 'device', key: event.deviceType });
    const counters: Array<{ kind: CounterKind; key: string; count: number }> = [];
    for (const target of targets) {
      counters.push({ ...target, count: await this.analytics.incrementCounter(tx, event.userId, target.kind, target.key) });
    }
    const day = utcDay(event.timestamp);
    const newActiveDay = await this.analytics.markActiveDay(tx, event.userId, day);
    // App-wide rollups, in the same transaction as the event.
    if (newActiveDay) await this.rollups.noteActiveDay(tx, event.userId, day);
    await this.rollups.addToDay(tx, day, { events: 1 });
    await this.rollups.countOnDay(tx, day, 'type', event.activityType);
    if (main?.kind === 'page') await this.rollups.countOnDay(tx, day, 'page', main.key);
    const receivedAt = event.receivedAt ?? event.timestamp;
    await this.update(tx, event.userId, (current) => applyActivity(current, event.timestamp, counters, { receivedAt, newActiveDay }));
  }

  async recordSessionStart(tx: Tx, userId: string, startTime: Date): Promise<void> {
    await this.update(tx, userId, applySessionStart);
    await this.rollups.addToDay(tx, utcDay(startTime), { sessionsStarted: 1 });
  }

  /** Counts an ended session, in the day it started (so a day's average covers its own sessions). */
  async recordSessionEnd(tx: Tx, userId: string, durationSeconds: number, startTime: Date): Promise<void> {
    await this.update(tx, userId, (current) => applySessionEnd(current, durationSeconds));
    await this.rollups.addToDay(tx, utcDay(startTime), { sessionsEnded: 1, sessionSeconds: durationSeconds });
  }

  /** Recomputes a user's aggregates and counters from their raw history (after identify merges one in). */
  async rebuild(tx: Tx, userId: string): Promise<UserAnalytics> {
    const history = await this.analytics.totalsFromHistory(tx, userId);
    const counter = (kind: CounterKind) => (c: { key: string; count: number }) =>
      Object.assign(new UserActivityCounter(), { userId, kind, ...c });
    const counters = [
      ...history.pages.map(counter('page')),
      ...history.features.map(counter('feature')),
      ...history.referrers.map(counter('referrer')),
      ...history.devices.map(counter('device')),
    ];
    await this.analytics.replaceCounters(tx, userId, counters, history.days);
    await this.rollups.replaceCohort(tx, userId, history.days.length > 0 ? [...history.days].sort()[0] : null);
    const rebuilt = analyticsFromHistory(userId, history);
    const existing = await this.analytics.findByUserId(tx, userId);
    await this.analytics.store(tx, rebuilt, existing === null);
    return rebuilt;
  }

  private async update(tx: Tx, userId: string, change: (current: UserAnalytics) => UserAnalytics): Promise<void> {
    const existing = await this.analytics.findByUserId(tx, userId);
    const next = change(existing ?? emptyAnalytics(userId));
    await this.analytics.store(tx, next, existing === null);
  }
}
