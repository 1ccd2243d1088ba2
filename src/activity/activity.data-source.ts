import { createCliDataSource, loadDotEnv } from '../database/cli-data-source';
import { ACTIVITY_SCHEMA } from './activity.schema';

// The typeorm CLI's entry for the activity database (npm run migration:generate:activity).
loadDotEnv();
export default createCliDataSource(ACTIVITY_SCHEMA);
