import type { ApiKeyScope } from './entities/api-key.entity';

/** Who is calling: a secret API key of some scope, or one end user holding a user token. */
export type Principal = { kind: 'api_key'; scope: ApiKeyScope; keyId: string } | { kind: 'user'; userId: string };

/** The user a principal is confined to, or null for a server-side key that may act for anyone. */
export function ownerOf(principal: Principal | undefined): string | null {
  return principal?.kind === 'user' ? principal.userId : null;
}

/**
 * Whether a credential is handed to end users' browsers and apps, so that its requests come from
 * them: a publishable (track) key, also as a beacon's `?key=`, or a user token. A secret key is
 * held by a backend.
 */
export function isBrowserFacing(principal: Principal | undefined): boolean {
  return principal?.kind === 'user' || (principal?.kind === 'api_key' && principal.scope === 'track');
}
