import { activityMigrations } from '../../migrations/activity';
import { ACTIVITY_DATA_SOURCE } from '../database/data-source-names';
import type { ModuleSchema } from '../database/module-schema';
import { UserActivity } from './entities/user-activity.entity';
import { UserSession } from './entities/user-session.entity';
import { UserAnalytics } from './entities/user-analytics.entity';
import { UserActivityCounter } from './entities/user-activity-counter.entity';
import { Identity } from './entities/identity.entity';
import { UserActiveDay } from './entities/user-active-day.entity';
import { DailyStat } from './entities/daily-stat.entity';
import { DailyCount } from './entities/daily-count.entity';
import { UserCohort } from './entities/user-cohort.entity';
import { UserTraits } from './entities/user-traits.entity';
import { UserGroup } from './entities/user-group.entity';
import { UserGroupMember } from './entities/user-group-member.entity';

/** The activity module's tables: its entities and the migrations that make them. */
export const ACTIVITY_SCHEMA: ModuleSchema = {
  name: ACTIVITY_DATA_SOURCE,
  entities: [
    UserActivity,
    UserSession,
    UserAnalytics,
    UserActivityCounter,
    Identity,
    UserActiveDay,
    DailyStat,
    DailyCount,
    UserCohort,
    UserTraits,
    UserGroup,
    UserGroupMember,
  ],
  migrations: activityMigrations,
};
