import { createCliDataSource, loadDotEnv } from './cli-data-source';
import { AUTH_DATA_SOURCE } from './data-source-names';

// The typeorm CLI's entry for the auth database (npm run migration:generate:auth).
loadDotEnv();
export default createCliDataSource(AUTH_DATA_SOURCE);
