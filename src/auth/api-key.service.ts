import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Clock } from '../common/clock';
import { IdGenerator } from '../common/id-generator';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKey, ApiKeyScope } from './entities/api-key.entity';

/** Every key Engage makes starts with this, so a key is told from a user token at a glance. */
export const API_KEY_PREFIX = 'egk_';

/**
 * How long a verified key is trusted without another lookup. A revocation in this process clears
 * it at once; one made elsewhere (the CLI, another instance on the same database) takes effect
 * here within this bound. A lookup is a primary-key read, so once a second per key costs nothing.
 */
export const API_KEY_CACHE_TTL_MS = 1000;
/** last_used_at is written at most this often per key, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly verified = new Map<string, { key: ApiKey; until: number }>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Creates a key and returns it in clear text: the only time it is ever shown. */
  async create(
    name: string,
    scope: ApiKeyScope,
    secret = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`,
  ): Promise<{ key: string; record: ApiKey }> {
    const record = Object.assign(new ApiKey(), {
      id: this.ids.next(),
      name,
      scope,
      keyHash: hashApiKey(secret),
      keyPrefix: secret.slice(0, 12),
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.keys.insert(record);
    return { key: secret, record };
  }

  /** Stores a key given in the environment, once; returns false when it was already there. */
  async seed(name: string, scope: ApiKeyScope, secret: string): Promise<boolean> {
    if (await this.keys.findByHash(hashApiKey(secret))) return false;
    await this.create(name, scope, secret);
    return true;
  }

  list(): Promise<ApiKey[]> {
    return this.keys.listAll();
  }

  countActive(): Promise<number> {
    return this.keys.countActive();
  }

  /** Revokes the key with this id or name; revoked keys stop working immediately in this process. */
  async revoke(idOrName: string): Promise<ApiKey[]> {
    const matches = (await this.keys.findByIdOrName(idOrName)).filter((key) => key.revokedAt === null);
    if (matches.length === 0) throw new NotFoundException({ code: 'api_key_not_found', message: `No active API key ${idOrName}` });
    const now = this.clock.now();
    for (const key of matches) {
      await this.keys.markRevoked(key.id, now);
      key.revokedAt = now;
    }
    this.verified.clear();
    return matches;
  }

  /** The active key matching `secret`, or null. */
  async verify(secret: string): Promise<ApiKey | null> {
    const hash = hashApiKey(secret);
    const now = this.clock.now().getTime();
    const cached = this.verified.get(hash);
    if (cached && cached.until > now) return cached.key;

    const key = await this.keys.findByHash(hash);
    // The lookup is by hash, so timing reveals nothing about the secret; compare anyway in
    // constant time so a partial index match can never pass.
    if (!key || key.revokedAt !== null || !timingSafeEqual(Buffer.from(key.keyHash, 'hex'), Buffer.from(hash, 'hex'))) {
      this.verified.delete(hash);
      return null;
    }
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(hash, { key, until: now + API_KEY_CACHE_TTL_MS });
    if (!key.lastUsedAt || now - key.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      key.lastUsedAt = new Date(now);
      // Not awaited: a bookkeeping write must neither slow nor fail the request it was made for
      // (the auth database may be locked by the CLI or a backup, or its disk full).
      this.keys.touch(key.id, key.lastUsedAt).catch((error: unknown) => {
        this.logger.warn(`Could not record the last use of key ${key.name}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    return key;
  }
}
