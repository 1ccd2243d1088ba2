import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ClientInfo } from './ingest/client-info';
import { IdGenerator } from '../common/id-generator';
import { ACTIVITY_SETTINGS } from './activity-settings';
import type { ActivitySettings } from './activity-settings';
import { AnalyticsService } from './analytics.service';
import { UserSession } from './entities/user-session.entity';
import type { ParsedUserAgent } from './ingest/user-agent';
import { RunningSession, UserSessionRepository } from './repositories/user-session.repository';
import type { Tx } from '../database/engine/tx';

/** A session longer than this is split even if it never went quiet (PostHog's rule). */
export const MAX_SESSION_MS = 24 * 3600_000;

export interface TrackedEvent {
  userId: string;
  timestamp: Date;
  pageUrl: string | null;
  sessionId: string | null;
}

/**
 * Puts each event in a session: the one it names, else the user's open session, else a new one
 * when the last went quiet for SESSION_TIMEOUT_MINUTES or is 24 hours old (that one is closed,
 * its duration being its last event minus its start). Runs inside the caller's transaction.
 */
@Injectable()
export class SessionTrackerService {
  constructor(
    private readonly sessions: UserSessionRepository,
    private readonly analytics: AnalyticsService,
    private readonly ids: IdGenerator,
    @Inject(ACTIVITY_SETTINGS) private readonly settings: ActivitySettings,
  ) {}

  async attach(tx: Tx, event: TrackedEvent, client: ClientInfo, userAgent: ParsedUserAgent): Promise<RunningSession> {
    const session = event.sessionId
      ? await this.named(tx, event.sessionId, event.userId)
      : await this.current(tx, event, client, userAgent);
    session.activityCount += 1;
    if (event.pageUrl) {
      if (!session.pagesVisited.includes(event.pageUrl)) session.pagesVisited = [...session.pagesVisited, event.pageUrl];
      session.entryPage ??= event.pageUrl;
      if (!session.lastActivityAt || event.timestamp >= session.lastActivityAt) session.exitPage = event.pageUrl;
    }
    if (!session.lastActivityAt || event.timestamp > session.lastActivityAt) session.lastActivityAt = event.timestamp;
    await this.sessions.recordActivity(tx, session);
    return session;
  }

  /** Closes a quiet session at its last activity and counts it in the user's analytics. */
  async close(tx: Tx, session: RunningSession): Promise<void> {
    const endTime = session.lastActivityAt ?? session.startTime;
    session.endTime = endTime;
    session.duration = Math.max(0, (endTime.getTime() - session.startTime.getTime()) / 1000);
    await this.sessions.markEnded(tx, session);
    if (!session.isBot) await this.analytics.recordSessionEnd(tx, session.userId, session.duration, session.startTime);
  }

  /** Closes every session quiet for longer than the timeout at `now`; returns how many. */
  async closeStale(tx: Tx, now: Date, limit = 500): Promise<number> {
    const cutoff = new Date(now.getTime() - this.settings.sessionTimeoutMs);
    const stale = await this.sessions.findStale(tx, cutoff, limit);
    for (const session of stale) await this.close(tx, session);
    return stale.length;
  }

  /** The session an event names, checked to exist and to be the user's. */
  async named(tx: Tx, sessionId: string, userId: string): Promise<UserSession> {
    const session = await this.sessions.findById(tx, sessionId);
    if (!session) throw new NotFoundException({ code: 'session_not_found', message: `Session ${sessionId} does not exist` });
    if (session.userId !== userId) {
      throw new BadRequestException({
        code: 'session_user_mismatch',
        message: `Session ${sessionId} belongs to another user`,
        details: [{ field: 'session_id', messages: ['session_id must belong to user_id'] }],
      });
    }
    return session;
  }

  private async current(tx: Tx, event: TrackedEvent, client: ClientInfo, userAgent: ParsedUserAgent): Promise<RunningSession> {
    const open = await this.sessions.findOpenForUser(tx, event.userId);
    if (open) {
      const lastAt = open.lastActivityAt ?? open.startTime;
      const quiet = event.timestamp.getTime() - lastAt.getTime() > this.settings.sessionTimeoutMs;
      const tooLong = event.timestamp.getTime() - open.startTime.getTime() > MAX_SESSION_MS;
      if (!quiet && !tooLong) return open;
      await this.close(tx, open);
    }
    const { is_bot: _bot, ...device } = userAgent;
    const session = Object.assign(new UserSession(), {
      id: this.ids.next(),
      userId: event.userId,
      startTime: event.timestamp,
      endTime: null,
      duration: null,
      pagesVisited: [],
      activityCount: 0,
      deviceInfo: device,
      ipAddress: client.ipAddress,
      userAgent: client.userAgent,
      lastActivityAt: null,
      entryPage: null,
      exitPage: null,
      isBot: false,
    });
    await this.sessions.insert(tx, session);
    await this.analytics.recordSessionStart(tx, session.userId, session.startTime);
    return session;
  }
}
