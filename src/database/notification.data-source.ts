import { createCliDataSource, loadDotEnv } from './cli-data-source';
import { NOTIFICATION_DATA_SOURCE } from './data-source-names';

// The typeorm CLI's entry for the notification database (npm run migration:generate:notification).
loadDotEnv();
export default createCliDataSource(NOTIFICATION_DATA_SOURCE);
