import { CreateAuthSchema1764150000000 } from './1764150000000-create-auth-schema';
import { AddUserTokenRevocations1764290000000 } from './1764290000000-add-user-token-revocations';

/** The auth database's migrations, oldest first. Listed explicitly so every runtime finds them. */
export const authMigrations = [CreateAuthSchema1764150000000, AddUserTokenRevocations1764290000000];
