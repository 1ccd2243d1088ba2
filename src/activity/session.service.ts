import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { ClientInfo } from './ingest/client-info';
import { IdGenerator } from '../common/id-generator';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { AnalyticsService } from './analytics.service';
import { StartSessionDto } from './dto/session.dto';
import { UserSession } from './entities/user-session.entity';
import { parseUserAgent, ParsedUserAgent } from './ingest/user-agent';
import { endUserContextErrors, endUserOf } from './ingest/end-user';
import { validationFailed } from '../common/validation/validation.pipe';
import { UserSessionRepository } from './repositories/user-session.repository';

function withoutBotFlag({ is_bot: _bot, ...device }: ParsedUserAgent) {
  return device;
}

@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: UserSessionRepository,
    private readonly analytics: AnalyticsService,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Opens a session. The end user's User-Agent and address come from `context` or, for
   * browser-facing credentials, the request; a bot's session is stored flagged and counted in no
   * figure, as its events are.
   */
  async start(dto: StartSessionDto, client: ClientInfo): Promise<UserSession> {
    const contextErrors = endUserContextErrors(dto.context);
    if (contextErrors.length > 0) throw validationFailed(contextErrors);
    const endUser = endUserOf(dto.context, client);
    const userAgent = parseUserAgent(endUser.userAgent);
    const session = Object.assign(new UserSession(), {
      id: this.ids.next(),
      userId: dto.user_id,
      startTime: this.clock.now(),
      endTime: null,
      duration: null,
      pagesVisited: [],
      activityCount: 0,
      // What the user agent says, under what the client says of itself.
      deviceInfo: { ...withoutBotFlag(userAgent), ...dto.device_info },
      lastActivityAt: null,
      entryPage: null,
      exitPage: null,
      ipAddress: endUser.ipAddress,
      userAgent: endUser.userAgent,
      isBot: userAgent.is_bot,
    });
    await this.transactions.run(async (tx) => {
      await this.sessions.insert(tx, session);
      if (!session.isBot) await this.analytics.recordSessionStart(tx, session.userId, session.startTime);
    });
    return session;
  }

  /** Ends a session; ending it again changes nothing and returns the original end. */
  async end(sessionId: string, ownerId: string | null = null): Promise<UserSession> {
    return this.transactions.run(async (tx) => {
      const session = await this.sessions.findById(tx, sessionId);
      // Another user's session is reported as missing: its existence is not theirs to learn.
      if (!session || (ownerId !== null && session.userId !== ownerId)) {
        throw new NotFoundException({ code: 'session_not_found', message: `Session ${sessionId} does not exist` });
      }
      if (session.endTime) return session;
      const endTime = this.clock.now();
      session.endTime = endTime;
      session.duration = Math.max(0, (endTime.getTime() - session.startTime.getTime()) / 1000);
      await this.sessions.markEnded(tx, session);
      if (!session.isBot) await this.analytics.recordSessionEnd(tx, session.userId, session.duration, session.startTime);
      return session;
    });
  }
}
