import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { authConfig } from '../config/auth.config';
import { AuthSecretRepository } from './auth-secret.repository';
import { AuthSecret } from './entities/auth-secret.entity';

const GENERATED_SECRET_NAME = 'user_token_secret';

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

  async mint(userId: string, ttlSeconds = this.config.userTokenTtlSeconds): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const expiresAt = issuedAt + ttlSeconds;
    const token = await this.jwt.signAsync(
      { sub: userId, iat: issuedAt, exp: expiresAt },
      { secret: this.secret, algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The user id of a valid, unexpired token signed by us; null otherwise. */
  async verify(token: string): Promise<string | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown }>(token, {
        secret: this.secret,
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
      return typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
