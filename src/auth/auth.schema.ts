import { authMigrations } from '../../migrations/auth';
import { AUTH_DATA_SOURCE } from '../database/data-source-names';
import type { ModuleSchema } from '../database/module-schema';
import { ApiKey } from './entities/api-key.entity';
import { AuthSecret } from './entities/auth-secret.entity';
import { UserTokenRevocation } from './entities/user-token-revocation.entity';

/** The auth module's tables: its entities and the migrations that make them. */
export const AUTH_SCHEMA: ModuleSchema = {
  name: AUTH_DATA_SOURCE,
  entities: [ApiKey, AuthSecret, UserTokenRevocation],
  migrations: authMigrations,
};
