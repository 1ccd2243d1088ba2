import type { ApiKeyScope } from './entities/api-key.entity';

/** Who is calling: a secret API key of some scope, or one end user holding a user token. */
export type Principal = { kind: 'api_key'; scope: ApiKeyScope; keyId: string } | { kind: 'user'; userId: string };

/** The user a principal is confined to, or null for a server-side key that may act for anyone. */
export function ownerOf(principal: Principal | undefined): string | null {
  return principal?.kind === 'user' ? principal.userId : null;
}
