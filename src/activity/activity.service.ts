import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { ClientInfo } from '../common/http/client-info.decorator';
import { IdGenerator } from '../common/id-generator';
import { TransactionRunner } from '../database/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { AnalyticsService } from './analytics.service';
import { TrackActivityDto } from './dto/activity.dto';
import { UserActivity } from './entities/user-activity.entity';
import { UserSessionRepository } from './repositories/user-session.repository';
import { UserActivityRepository } from './repositories/user-activity.repository';

@Injectable()
export class ActivityService {
  constructor(
    private readonly activities: UserActivityRepository,
    private readonly sessions: UserSessionRepository,
    private readonly analytics: AnalyticsService,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Stores one activity and, in the same transaction, counts it in its session and in the
   * user's analytics, so the three never disagree.
   */
  async track(dto: TrackActivityDto, client: ClientInfo): Promise<UserActivity> {
    const activity = Object.assign(new UserActivity(), {
      id: this.ids.next(),
      userId: dto.user_id,
      activityType: dto.activity_type,
      timestamp: this.clock.now(),
      sessionId: dto.session_id ?? null,
      metadata: dto.metadata ?? null,
      ipAddress: client.ipAddress,
      userAgent: client.userAgent,
      referrer: dto.referrer ?? null,
      pageUrl: dto.page_url ?? null,
    });

    await this.transactions.run(async (manager) => {
      if (activity.sessionId) {
        const session = await this.sessions.findById(activity.sessionId, manager);
        if (!session) {
          throw new NotFoundException({ code: 'session_not_found', message: `Session ${activity.sessionId} does not exist` });
        }
        if (session.userId !== activity.userId) {
          throw new BadRequestException({
            code: 'session_user_mismatch',
            message: `Session ${activity.sessionId} belongs to another user`,
            details: [{ field: 'session_id', messages: ['session_id must belong to user_id'] }],
          });
        }
        session.activityCount += 1;
        if (activity.pageUrl && !session.pagesVisited.includes(activity.pageUrl)) {
          session.pagesVisited = [...session.pagesVisited, activity.pageUrl];
        }
        await this.sessions.recordActivity(session, manager);
      }
      await this.activities.insert(activity, manager);
      await this.analytics.recordActivity(manager, activity);
    });
    return activity;
  }
}
