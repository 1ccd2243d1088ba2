import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
  ) {}

  /** A user's analytics; a user never seen has all-zero analytics rather than a 404. */
  async getUserAnalytics(userId: string): Promise<UserAnalytics> {
    return (await this.analytics.findByUserId(userId)) ?? emptyAnalytics(userId);
  }

  async recordActivity(
    manager: EntityManager,
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
      counters.push({ ...target, count: await this.analytics.incrementCounter(event.userId, target.kind, target.key, manager) });
    }
    const day = utcDay(event.timestamp);
    const newActiveDay = await this.analytics.markActiveDay(event.userId, day, manager);
    // App-wide rollups, in the same transaction as the event.
    if (newActiveDay) await this.rollups.noteActiveDay(event.userId, day, manager);
    await this.rollups.addToDay(day, { events: 1 }, manager);
    await this.rollups.countOnDay(day, 'type', event.activityType, manager);
    if (main?.kind === 'page') await this.rollups.countOnDay(day, 'page', main.key, manager);
    const receivedAt = event.receivedAt ?? event.timestamp;
    await this.update(manager, event.userId, (current) => applyActivity(current, event.timestamp, counters, { receivedAt, newActiveDay }));
  }

  async recordSessionStart(manager: EntityManager, userId: string, startTime: Date): Promise<void> {
    await this.update(manager, userId, applySessionStart);
    await this.rollups.addToDay(utcDay(startTime), { sessionsStarted: 1 }, manager);
  }

  /** Counts an ended session, in the day it started (so a day's average covers its own sessions). */
  async recordSessionEnd(manager: EntityManager, userId: string, durationSeconds: number, startTime: Date): Promise<void> {
    await this.update(manager, userId, (current) => applySessionEnd(current, durationSeconds));
    await this.rollups.addToDay(utcDay(startTime), { sessionsEnded: 1, sessionSeconds: durationSeconds }, manager);
  }

  /** Recomputes a user's aggregates and counters from their raw history (after identify merges one in). */
  async rebuild(manager: EntityManager, userId: string): Promise<UserAnalytics> {
    const history = await this.analytics.totalsFromHistory(userId, manager);
    const counter = (kind: CounterKind) => (c: { key: string; count: number }) =>
      Object.assign(new UserActivityCounter(), { userId, kind, ...c });
    const counters = [
      ...history.pages.map(counter('page')),
      ...history.features.map(counter('feature')),
      ...history.referrers.map(counter('referrer')),
      ...history.devices.map(counter('device')),
    ];
    await this.analytics.replaceCounters(userId, counters, history.days, manager);
    await this.rollups.replaceCohort(userId, history.days.length > 0 ? [...history.days].sort()[0] : null, manager);
    const rebuilt = analyticsFromHistory(userId, history);
    const existing = await this.analytics.findByUserId(userId, manager);
    await this.analytics.store(rebuilt, existing === null, manager);
    return rebuilt;
  }

  private async update(manager: EntityManager, userId: string, change: (current: UserAnalytics) => UserAnalytics): Promise<void> {
    const existing = await this.analytics.findByUserId(userId, manager);
    const next = change(existing ?? emptyAnalytics(userId));
    await this.analytics.store(next, existing === null, manager);
  }
}
