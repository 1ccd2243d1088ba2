import { CreateActivitySchema1764140000000 } from './1764140000000-create-activity-schema';

/** The activity database's migrations, oldest first. Listed explicitly so every runtime finds them. */
export const activityMigrations = [CreateActivitySchema1764140000000];
