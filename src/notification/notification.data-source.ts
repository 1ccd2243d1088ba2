import { createCliDataSource, loadDotEnv } from '../database/cli-data-source';
import { NOTIFICATION_SCHEMA } from './notification.schema';

// The typeorm CLI's entry for the notification database (npm run migration:generate:notification).
loadDotEnv();
export default createCliDataSource(NOTIFICATION_SCHEMA);
