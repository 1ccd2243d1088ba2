import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/auth.config';
import { ApiKeyService } from './api-key.service';

/**
 * Makes a fresh install usable and still closed: keys from API_KEYS are stored (hashed), and
 * when no key exists at all an admin key is created and printed once.
 */
@Injectable()
export class AuthBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly apiKeys: ApiKeyService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.disabled) {
      this.logger.warn('AUTH_DISABLED=true: every route is open without credentials. Never run like this in production.');
    }
    for (const [index, key] of this.config.seededAdminKeys.entries()) {
      await this.apiKeys.seed(`API_KEYS[${index}]`, 'admin', key);
    }
    if ((await this.apiKeys.countActive()) === 0) {
      const { key } = await this.apiKeys.create('initial-admin', 'admin');
      this.logger.warn(`No API key existed, so an admin key was created. It is shown only this once; keep it secret: ${key}`);
    }
  }
}
