import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../config/database.config';
import { NOTIFICATION_DATA_SOURCE } from './data-source-names';
import { buildDataSourceOptions } from './data-source-options';

// The typeorm CLI's entry for the notification database (npm run migration:* scripts).
const config = readDatabaseConfig();
export default new DataSource({
  ...buildDataSourceOptions(NOTIFICATION_DATA_SOURCE, { database: config.notificationsDatabase }),
  migrationsRun: false,
});
