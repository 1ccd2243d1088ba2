import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKeyScope } from './entities/api-key.entity';
import type { Principal } from './principal';

export const PUBLIC_ROUTE = 'engage:public';
export const KEY_SCOPES = 'engage:key-scopes';
export const USER_ACCESS = 'engage:user-access';
export const CREDENTIAL_SOURCE = 'engage:credential-source';

/** Where a user-scoped route finds the user id a user token must match. */
export type UserAccess = { param: string } | { body: string } | { owned: true };

/** Open to anyone, no credential (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Key scopes allowed besides `admin`, which is always allowed (e.g. `@Scopes('track')`). */
export const Scopes = (...scopes: ApiKeyScope[]) => SetMetadata(KEY_SCOPES, scopes);

/**
 * Allows user tokens, confined to their own user: the id in the named path parameter or body
 * field must be the token's, or (`owned`) the service checks the resource's owner itself.
 */
export const UserScoped = (access: UserAccess) => SetMetadata(USER_ACCESS, access);

/**
 * Where a route also takes its API key besides the Authorization and X-API-Key headers:
 * a body field (Segment's clients send `writeKey` in the body) or a path parameter (analytics.js
 * fetches `/v1/projects/{writeKey}/settings`). A key in the path is a URL, so only publishable
 * keys are accepted there, as with `?key=`.
 */
export type CredentialSource = { body: string } | { param: string };

export const CredentialFrom = (source: CredentialSource) => SetMetadata(CREDENTIAL_SOURCE, source);

export interface RequestWithPrincipal extends Request {
  principal?: Principal;
}

/** The authenticated caller of this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<RequestWithPrincipal>().principal,
);
