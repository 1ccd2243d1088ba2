import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { analyticsFromHistory, applyActivity, applySessionEnd, applySessionStart, counterFor, emptyAnalytics, referrerHost } from './analytics-rules';
import type { CounterKind } from './entities/user-activity-counter.entity';
import { UserActivityCounter } from './entities/user-activity-counter.entity';
import { UserAnalytics } from './entities/user-analytics.entity';
import { UserAnalyticsRepository } from './repositories/user-analytics.repository';

/**
 * Keeps each user's analytics current. Its record* methods run inside the caller's
 * transaction, so the aggregates change exactly when the events they count are stored.
 */
@Injectable()
export class AnalyticsService {
  constructor(private readonly analytics: UserAnalyticsRepository) {}

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
    const newActiveDay = await this.analytics.markActiveDay(event.userId, event.timestamp.toISOString().slice(0, 10), manager);
    const receivedAt = event.receivedAt ?? event.timestamp;
    await this.update(manager, event.userId, (current) => applyActivity(current, event.timestamp, counters, { receivedAt, newActiveDay }));
  }

  async recordSessionStart(manager: EntityManager, userId: string): Promise<void> {
    await this.update(manager, userId, applySessionStart);
  }

  async recordSessionEnd(manager: EntityManager, userId: string, durationSeconds: number): Promise<void> {
    await this.update(manager, userId, (current) => applySessionEnd(current, durationSeconds));
  }

  /** Recomputes a user's aggregates and counters from their raw history (after identify merges one in). */
  async rebuild(manager: EntityManager, userId: string): Promise<UserAnalytics> {
    const history = await this.analytics.totalsFromHistory(userId, manager);
    const counter = (kind: CounterKind) => (c: { key: string; count: number }) => Object.assign(new UserActivityCounter(), { userId, kind, ...c });
    const counters = [
      ...history.pages.map(counter('page')),
      ...history.features.map(counter('feature')),
      ...history.referrers.map(counter('referrer')),
      ...history.devices.map(counter('device')),
    ];
    await this.analytics.replaceCounters(userId, counters, history.days, manager);
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
