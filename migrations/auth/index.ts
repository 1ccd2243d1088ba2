import { CreateAuthSchema1764150000000 } from './1764150000000-create-auth-schema';

/** The auth database's migrations, oldest first. Listed explicitly so every runtime finds them. */
export const authMigrations = [CreateAuthSchema1764150000000];
