import { createCliDataSource, loadDotEnv } from './cli-data-source';
import { ACTIVITY_DATA_SOURCE } from './data-source-names';

// The typeorm CLI's entry for the activity database (npm run migration:generate:activity).
loadDotEnv();
export default createCliDataSource(ACTIVITY_DATA_SOURCE);
