import { CreateActivitySchema1764140000000 } from './1764140000000-create-activity-schema';
import { AddIngest1764170000000 } from './1764170000000-add-ingest';
import { AddIdentities1764180000000 } from './1764180000000-add-identities';
import { AddEngagementDetails1764190000000 } from './1764190000000-add-engagement-details';
import { AddRollups1764200000000 } from './1764200000000-add-rollups';
import { AddActivityTimeIndex1764210000000 } from './1764210000000-add-activity-time-index';
import { PartialEventIndex1764220000000 } from './1764220000000-partial-event-index';
import { DropCounterRankIndex1764230000000 } from './1764230000000-drop-counter-rank-index';
import { OpenSessionsIndex1764240000000 } from './1764240000000-open-sessions-index';
import { DropUnreadActivityIndexes1764250000000 } from './1764250000000-drop-unread-activity-indexes';
import { AddSessionBotFlag1764260000000 } from './1764260000000-add-session-bot-flag';
import { AddTraitsAndGroups1764270000000 } from './1764270000000-add-traits-and-groups';
import { AddIdentitiesUserIndex1764280000000 } from './1764280000000-add-identities-user-index';

/** The activity database's migrations, oldest first. Listed explicitly so every runtime finds them. */
export const activityMigrations = [
  CreateActivitySchema1764140000000,
  AddIngest1764170000000,
  AddIdentities1764180000000,
  AddEngagementDetails1764190000000,
  AddRollups1764200000000,
  AddActivityTimeIndex1764210000000,
  PartialEventIndex1764220000000,
  DropCounterRankIndex1764230000000,
  OpenSessionsIndex1764240000000,
  DropUnreadActivityIndexes1764250000000,
  AddSessionBotFlag1764260000000,
  AddTraitsAndGroups1764270000000,
  AddIdentitiesUserIndex1764280000000,
];
