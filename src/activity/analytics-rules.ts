import type { CounterKind } from './entities/user-activity-counter.entity';
import { RankedCount, UserAnalytics } from './entities/user-analytics.entity';

/** How many entries most_visited_pages and favorite_features keep. */
export const TOP_N = 5;

/** The activity type whose page_url counts as a page visit. */
export const PAGE_VIEW = 'page_view';

/** Caps of the engagement score's three parts; at or above a cap a part scores in full. */
export const ENGAGEMENT_CAPS = { activities: 100, sessions: 10, avgSessionSeconds: 600 } as const;

export function emptyAnalytics(userId: string): UserAnalytics {
  return Object.assign(new UserAnalytics(), {
    userId,
    totalSessions: 0,
    totalActivities: 0,
    firstActivity: null,
    lastActivity: null,
    endedSessions: 0,
    totalSessionDuration: 0,
    avgSessionDuration: 0,
    mostVisitedPages: [],
    favoriteFeatures: [],
    engagementScore: 0,
    firstSeen: null,
    activeDays: 0,
    topReferrers: null,
    devices: null,
  });
}

/** The host of a referrer URL ("google.com" for https://www.google.com/search?q=…), or null. */
export function referrerHost(referrer: string | null | undefined): string | null {
  if (!referrer) return null;
  try {
    const host = new URL(referrer).hostname.toLowerCase();
    return host.startsWith('www.') ? host.slice(4) : host || null;
  } catch {
    return null;
  }
}

/** Which ranking an activity counts towards, if any, and under which key. */
export function counterFor(activityType: string, pageUrl: string | null | undefined): { kind: CounterKind; key: string } | null {
  if (activityType === PAGE_VIEW) return pageUrl ? { kind: 'page', key: pageUrl } : null;
  return { kind: 'feature', key: activityType };
}

/** Ranking order: higher count first, then key alphabetically, so ties are stable. */
function outranks(a: RankedCount, b: RankedCount): boolean {
  return a.count > b.count || (a.count === b.count && a.key < b.key);
}

/**
 * Updates a top-N list after one key's count grew to `count`. Counts only grow, so a key
 * outside the list can enter only by outranking the last entry: the list stays exact without
 * looking at any other key.
 */
export function updateTopN(list: RankedCount[], key: string, count: number, n = TOP_N): RankedCount[] {
  const entry = { key, count };
  const rest = list.filter((item) => item.key !== key);
  const inList = rest.length !== list.length;
  if (!inList && rest.length >= n && !outranks(entry, rest[rest.length - 1])) return list;
  const next = [...rest, entry].sort((a, b) => (outranks(a, b) ? -1 : outranks(b, a) ? 1 : 0));
  return next.slice(0, n);
}

/**
 * Engagement score, 0–100: 40 points for activity volume (full at 100 activities), 30 for
 * returning (full at 10 sessions) and 30 for session depth (full at a 10-minute average),
 * each part linear up to its cap; rounded to one decimal.
 */
export function engagementScore(analytics: Pick<UserAnalytics, 'totalActivities' | 'totalSessions' | 'avgSessionDuration'>): number {
  const activity = Math.min(1, analytics.totalActivities / ENGAGEMENT_CAPS.activities);
  const sessions = Math.min(1, analytics.totalSessions / ENGAGEMENT_CAPS.sessions);
  const depth = Math.min(1, analytics.avgSessionDuration / ENGAGEMENT_CAPS.avgSessionSeconds);
  return Math.round((40 * activity + 30 * sessions + 30 * depth) * 10) / 10;
}

export function applyActivity(
  analytics: UserAnalytics,
  at: Date,
  counters: Array<{ kind: CounterKind; key: string; count: number }>,
  seen: { receivedAt: Date; newActiveDay: boolean } = { receivedAt: at, newActiveDay: false },
): UserAnalytics {
  analytics.totalActivities += 1;
  if (!analytics.firstActivity || at < analytics.firstActivity) analytics.firstActivity = at;
  if (!analytics.lastActivity || at > analytics.lastActivity) analytics.lastActivity = at;
  if (!analytics.firstSeen || seen.receivedAt < analytics.firstSeen) analytics.firstSeen = seen.receivedAt;
  if (seen.newActiveDay) analytics.activeDays += 1;
  for (const counter of counters) {
    if (counter.kind === 'page') analytics.mostVisitedPages = updateTopN(analytics.mostVisitedPages, counter.key, counter.count);
    if (counter.kind === 'feature') analytics.favoriteFeatures = updateTopN(analytics.favoriteFeatures, counter.key, counter.count);
    if (counter.kind === 'referrer') analytics.topReferrers = updateTopN(analytics.topReferrers ?? [], counter.key, counter.count);
    if (counter.kind === 'device') analytics.devices = updateTopN(analytics.devices ?? [], counter.key, counter.count);
  }
  analytics.engagementScore = engagementScore(analytics);
  return analytics;
}

export function applySessionStart(analytics: UserAnalytics): UserAnalytics {
  analytics.totalSessions += 1;
  analytics.engagementScore = engagementScore(analytics);
  return analytics;
}

export function applySessionEnd(analytics: UserAnalytics, durationSeconds: number): UserAnalytics {
  analytics.endedSessions += 1;
  analytics.totalSessionDuration += durationSeconds;
  analytics.avgSessionDuration = Math.round((analytics.totalSessionDuration / analytics.endedSessions) * 1000) / 1000;
  analytics.engagementScore = engagementScore(analytics);
  return analytics;
}

/** A user's history summed up from the raw rows (bots left out), to rebuild the aggregates. */
export interface HistoryTotals {
  activities: number;
  firstActivity: Date | null;
  lastActivity: Date | null;
  sessions: number;
  endedSessions: number;
  totalSessionDuration: number;
  pages: Array<{ key: string; count: number }>;
  features: Array<{ key: string; count: number }>;
  referrers: Array<{ key: string; count: number }>;
  devices: Array<{ key: string; count: number }>;
  firstSeen: Date | null;
  activeDays: number;
  /** The UTC days (YYYY-MM-DD) with activity. */
  days: string[];
}

/** Every aggregate from a user's summed-up history: what the incremental updates must agree with. */
export function analyticsFromHistory(userId: string, history: HistoryTotals): UserAnalytics {
  const top = (counts: RankedCount[]) => [...counts].sort((a, b) => (outranks(a, b) ? -1 : outranks(b, a) ? 1 : 0)).slice(0, TOP_N);
  const analytics = Object.assign(emptyAnalytics(userId), {
    totalSessions: history.sessions,
    totalActivities: history.activities,
    firstActivity: history.firstActivity,
    lastActivity: history.lastActivity,
    endedSessions: history.endedSessions,
    totalSessionDuration: history.totalSessionDuration,
    avgSessionDuration: history.endedSessions > 0 ? Math.round((history.totalSessionDuration / history.endedSessions) * 1000) / 1000 : 0,
    mostVisitedPages: top(history.pages),
    favoriteFeatures: top(history.features),
    firstSeen: history.firstSeen,
    activeDays: history.activeDays,
    topReferrers: history.referrers.length > 0 ? top(history.referrers) : null,
    devices: history.devices.length > 0 ? top(history.devices) : null,
  });
  analytics.engagementScore = engagementScore(analytics);
  return analytics;
}
