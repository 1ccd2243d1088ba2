import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import type { UserTokenBounds } from './principal';
import { authConfig } from '../config/auth.config';
import { AuthSecretRepository } from './auth-secret.repository';
import { AuthSecret } from './entities/auth-secret.entity';
import { UserTokenRevocationRepository } from './user-token-revocation.repository';
import { validationFailed } from '../common/validation/validation.pipe';

const GENERATED_SECRET_NAME = 'user_token_secret';

/** How far a host's clock may run ahead of ours when it mints tokens. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Mints and checks user tokens: HS256 JWTs whose `sub` is the user id. The signing secret is
 * USER_TOKEN_SECRET, or one generated on first start and kept in the auth database, so tokens
 * survive restarts without any set-up.
 */
@Injectable()
export class UserTokenService implements OnModuleInit {
  private secret: string;

  constructor(
    private readonly jwt: JwtService,
    private readonly secrets: AuthSecretRepository,
    private readonly revocations: UserTokenRevocationRepository,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.userTokenSecret) {
      this.secret = this.config.userTokenSecret;
      return;
    }
    const stored = await this.secrets.ensure(
      Object.assign(new AuthSecret(), {
        name: GENERATED_SECRET_NAME,
        value: randomBytes(48).toString('base64url'),
        createdAt: this.clock.now(),
      }),
    );
    this.secret = stored.value;
  }

  /**
   * A token for one user. `ttlSeconds` defaults to USER_TOKEN_TTL_SECONDS and may not exceed
   * USER_TOKEN_MAX_TTL_SECONDS. `iat_ms` dates it to the millisecond, so a token minted in the same
   * second as a revocation, but after it, still works.
   */
  async mint(userId: string, ttlSeconds: number | null = null): Promise<{ token: string; expiresAt: Date }> {
    const lifetime = ttlSeconds ?? this.config.userTokenTtlSeconds;
    if (lifetime > this.config.userTokenMaxTtlSeconds) {
      throw validationFailed([
        {
          field: 'ttl_seconds',
          messages: [`ttl_seconds must not exceed USER_TOKEN_MAX_TTL_SECONDS (${this.config.userTokenMaxTtlSeconds})`],
        },
      ]);
    }
    const nowMs = this.clock.now().getTime();
    const issuedAt = Math.floor(nowMs / 1000);
    const expiresAt = issuedAt + lifetime;
    const token = await this.jwt.signAsync(
      { sub: userId, iat: issuedAt, iat_ms: nowMs, exp: expiresAt },
      { secret: this.secret, algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /**
   * The user id of a valid token signed by us; null otherwise. Valid means: unexpired, with an
   * `exp` (a token without one would never expire) no further ahead than USER_TOKEN_MAX_TTL_SECONDS,
   * and issued after the user's tokens were last revoked (a token with no `iat` counts as issued
   * before any revocation).
   */
  async verify(token: string): Promise<string | null> {
    return (await this.verifyBounds(token))?.userId ?? null;
  }

  /** As verify, with the token's issue and end: for a use that outlasts the request (a stream). */
  async verifyBounds(token: string): Promise<{ userId: string; bounds: UserTokenBounds } | null> {
    const now = this.clock.now().getTime();
    let payload: { sub?: unknown; exp?: unknown; iat?: unknown; iat_ms?: unknown };
    try {
      payload = await this.jwt.verifyAsync(token, { secret: this.secret, algorithms: ['HS256'], clockTimestamp: Math.floor(now / 1000) });
    } catch {
      return null;
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return null;
    if (typeof payload.exp !== 'number') return null;
    const maxMs = this.config.userTokenMaxTtlSeconds * 1000;
    const issuedMs = typeof payload.iat_ms === 'number' ? payload.iat_ms : typeof payload.iat === 'number' ? payload.iat * 1000 : null;
    // Issued in the future (beyond a host clock's skew) would outlive any revocation.
    if (issuedMs !== null && issuedMs > now + CLOCK_SKEW_MS) return null;
    // The lifetime counts from issue when the token says when that was, else from now.
    if (payload.exp * 1000 - (issuedMs ?? now) > maxMs + CLOCK_SKEW_MS) return null;
    const revokedAt = await this.revocations.revokedAt(payload.sub);
    if (revokedAt && (issuedMs === null || issuedMs <= revokedAt.getTime())) return null;
    return {
      userId: payload.sub,
      bounds: { issuedAt: issuedMs === null ? null : new Date(issuedMs), expiresAt: new Date(payload.exp * 1000) },
    };
  }

  /** Whether the user's tokens were revoked at or after `since`, a token's issue (a stream opened with it must end). */
  async revokedSince(userId: string, since: Date): Promise<boolean> {
    const revokedAt = await this.revocations.revokedAt(userId);
    // As verify: a token issued at or before the revocation is refused.
    return revokedAt !== null && revokedAt >= since;
  }

  /** Refuses every token of the user issued until now, on every process (it is stored, and read on each request). */
  async revokeUser(userId: string): Promise<Date> {
    const at = this.clock.now();
    await this.revocations.revoke(userId, at);
    // A revocation older than the longest lifetime guards no token any more: its user id goes.
    await this.revocations.purgeBefore(new Date(at.getTime() - this.config.userTokenMaxTtlSeconds * 1000 - CLOCK_SKEW_MS));
    return at;
  }
}
