import { createCliDataSource, loadDotEnv } from '../database/cli-data-source';
import { AUTH_SCHEMA } from './auth.schema';

// The typeorm CLI's entry for the auth database (npm run migration:generate:auth).
loadDotEnv();
export default createCliDataSource(AUTH_SCHEMA);
