import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { authConfig } from '../config/auth.config';
import { API_KEY_PREFIX, ApiKeyService } from './api-key.service';
import {
  CREDENTIAL_SOURCE,
  CredentialSource,
  KEY_SCOPES,
  PUBLIC_ROUTE,
  RequestWithPrincipal,
  USER_ACCESS,
  UserAccess,
} from './auth.decorators';
import type { ApiKeyScope } from './entities/api-key.entity';
import type { Principal } from './principal';
import { UserTokenService } from './user-token.service';
import { RESOLVE_PRINCIPAL, ResolvePrincipal } from './resolve-principal';
import { AuthFailureLimiter } from './auth-failure-limiter.service';
import type { Response } from 'express';

const ADMIN: Principal = { kind: 'api_key', scope: 'admin', keyId: 'auth-disabled' };

/**
 * The global guard. A route is closed to all but admin keys unless its decorators open it:
 * `@Public()`, `@Scopes('track')` for publishable keys, `@UserScoped(...)` for user tokens.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly userTokens: UserTokenService,
    private readonly failures: AuthFailureLimiter,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Optional() @Inject(RESOLVE_PRINCIPAL) private readonly resolvePrincipal: ResolvePrincipal | null = null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    if (this.config.disabled) {
      request.principal = ADMIN;
      return true;
    }
    if (this.resolvePrincipal) {
      // The host authenticates; Engage's scope and ownership rules apply to whom it names.
      const principal = await this.resolvePrincipal(request);
      if (!principal) throw new UnauthorizedException({ code: 'unauthorized', message: 'Not authenticated' });
      request.principal = principal;
      return this.allowed(principal, request, targets);
    }

    const source = this.reflector.getAllAndOverride<CredentialSource | undefined>(CREDENTIAL_SOURCE, targets);
    // A key in the URL: the path's, on a route that takes it there (it is then the credential,
    // whatever else the request carries), or a beacon's ?key= (navigator.sendBeacon cannot set
    // headers). URLs end up in logs and browser history, so only publishable keys may be there.
    const pathKey = source && 'param' in source;
    const inUrl = pathKey
      ? this.routeCredential(request, source, 'param')
      : typeof request.query?.key === 'string'
        ? request.query.key
        : null;
    const inRequest = pathKey ? null : (this.credentialOf(request) ?? this.routeCredential(request, source, 'body'));
    if (inUrl === null && inRequest === null) {
      throw new UnauthorizedException({ code: 'unauthorized', message: 'An API key or user token is required' });
    }
    const response = context.switchToHttp().getResponse<Response>();
    const ip = request.ip ?? 'unknown';
    this.failures.assertNotBlocked(ip, response);
    if (inUrl !== null) {
      const fromUrl = await this.authenticate(inUrl);
      if (fromUrl && !(fromUrl.kind === 'api_key' && fromUrl.scope === 'track')) {
        throw new UnauthorizedException({ code: 'unauthorized', message: 'Only publishable (track) keys may be passed in the URL' });
      }
      if (!fromUrl) {
        await this.failures.recordFailure(ip, response);
        throw new UnauthorizedException({ code: 'unauthorized', message: 'The API key or user token is invalid, revoked or expired' });
      }
    }
    const principal = await this.authenticate((inRequest ?? inUrl) as string);
    if (!principal) {
      await this.failures.recordFailure(ip, response);
      throw new UnauthorizedException({ code: 'unauthorized', message: 'The API key or user token is invalid, revoked or expired' });
    }
    request.principal = principal;
    return this.allowed(principal, request, targets);
  }

  /** Whether this principal may use this route (the route's scopes, a user token's own data). */
  private allowed(principal: Principal, request: RequestWithPrincipal, targets: Parameters<Reflector['getAllAndOverride']>[1]): boolean {
    if (principal.kind === 'api_key') {
      if (principal.scope === 'admin') return true;
      const scopes = this.reflector.getAllAndOverride<ApiKeyScope[]>(KEY_SCOPES, targets) ?? [];
      if (!scopes.includes(principal.scope)) {
        throw new ForbiddenException({ code: 'forbidden', message: `A ${principal.scope} key cannot use this endpoint` });
      }
      return true;
    }

    const access = this.reflector.getAllAndOverride<UserAccess>(USER_ACCESS, targets);
    if (!access) throw new ForbiddenException({ code: 'forbidden', message: 'A user token cannot use this endpoint' });
    const claimed = this.claimedUserId(request, access);
    if (claimed !== undefined && claimed !== principal.userId) {
      throw new ForbiddenException({ code: 'forbidden', message: "A user token can only reach its own user's data" });
    }
    return true;
  }

  private credentialOf(request: RequestWithPrincipal): string | null {
    const header = request.headers.authorization;
    if (typeof header === 'string') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match) return match[1];
      const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
      if (basic) return basicUserName(basic[1]);
    }
    const apiKey = request.headers['x-api-key'];
    return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : null;
  }

  /** The key a route takes from its body or path (see CredentialFrom), when it takes one from there. */
  private routeCredential(request: RequestWithPrincipal, source: CredentialSource | undefined, from: 'body' | 'param'): string | null {
    if (!source) return null;
    const value =
      from === 'body' && 'body' in source
        ? (request.body as Record<string, unknown> | undefined)?.[source.body]
        : from === 'param' && 'param' in source
          ? request.params?.[source.param]
          : undefined;
    return typeof value === 'string' && value.length > 0 ? value : null;
  }

  private async authenticate(credential: string): Promise<Principal | null> {
    if (credential.length > 4096) return null;
    if (credential.startsWith(API_KEY_PREFIX) || !credential.includes('.')) {
      const key = await this.apiKeys.verify(credential);
      return key ? { kind: 'api_key', scope: key.scope, keyId: key.id } : null;
    }
    const verified = await this.userTokens.verifyBounds(credential);
    return verified ? { kind: 'user', userId: verified.userId, token: verified.bounds } : null;
  }

  /** The user id the request names, where the route says it is; undefined if absent (validation will say so). */
  private claimedUserId(request: RequestWithPrincipal, access: UserAccess): unknown {
    if ('param' in access) return request.params?.[access.param];
    if ('body' in access) return (request.body as Record<string, unknown> | undefined)?.[access.body];
    return undefined;
  }
}

/**
 * The key in an HTTP Basic credential, as Segment's libraries send their write key: the user
 * name, with an empty password (or the password, for clients that put it there).
 */
function basicUserName(encoded: string): string | null {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  const key = user.length > 0 ? user : password;
  return key.length > 0 ? key : null;
}
