import { CreateActivitySchema1764140000000 } from './1764140000000-create-activity-schema';
import { AddIngest1764170000000 } from './1764170000000-add-ingest';

/** The activity database's migrations, oldest first. Listed explicitly so every runtime finds them. */
export const activityMigrations = [CreateActivitySchema1764140000000, AddIngest1764170000000];
