import type { ApiKeyScope } from './entities/api-key.entity';

/** Who is calling: a secret API key of some scope, or one end user holding a user token. */
export type Principal =
  | { kind: 'api_key'; scope: ApiKeyScope; keyId: string }
  /** `token`: set for one of Engage's own user tokens (its end, and when it was issued); a host's principal has none. */
  | { kind: 'user'; userId: string; token?: UserTokenBounds };

/** The life of a user token: what a long-lived use of it (an open stream) must keep honouring. */
export interface UserTokenBounds {
  issuedAt: Date | null;
  expiresAt: Date;
}

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
