import { ConflictException, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../../database/engine/tx';
import { Clock } from '../../common/clock';
import { sendResponseBody, sendResponseStatus } from '../dto/notification.dto';
import { IdempotencyRecord } from '../entities/idempotency-record.entity';
import type { SendResult } from '../notification.service';
import { IdempotencyRepository } from '../repositories/idempotency.repository';

/** How long an Idempotency-Key's first answer is replayed. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600_000;

/** JSON with sorted keys, so the same request hashes the same whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashRequest(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

/** An answer given under an Idempotency-Key: what a retry gets again. */
export interface RememberedAnswer {
  statusCode: number;
  body: Record<string, unknown>;
}

@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  /** The earlier answer for this key, or null; the same key with another body is a 409. */
  async replay(db: Db, key: string, requestHash: string): Promise<SendResult | null> {
    const answer = await this.earlierAnswer(db, key, requestHash);
    if (!answer) return null;
    const body = answer.body as { status: string; notification_id: string | null; reason?: string };
    return { status: body.status, notification: null, reason: body.reason ?? '', replayed: answer } as SendResult;
  }

  /** Stores a result as the answer for this key; returns it unchanged. */
  async remember(key: string, requestHash: string, userId: string, result: SendResult, tx: Tx): Promise<SendResult> {
    await this.rememberAnswer(tx, key, requestHash, userId, { statusCode: sendResponseStatus(result), body: sendResponseBody(result) });
    return result;
  }

  /** The answer first given under this key (any request kind), or null; the same key with another body is a 409. */
  async earlierAnswer(db: Db, key: string, requestHash: string): Promise<RememberedAnswer | null> {
    const record = await this.records.find(db, key);
    if (!record || this.clock.now().getTime() - record.createdAt.getTime() > IDEMPOTENCY_WINDOW_MS) return null;
    if (record.requestHash !== requestHash) {
      throw new ConflictException({
        code: 'idempotency_key_reused',
        message: 'This Idempotency-Key was used with a different request in the last 24 hours',
      });
    }
    return { statusCode: record.statusCode, body: record.responseBody as Record<string, unknown> };
  }

  /** Keeps `answer` as the one to give again under this key for 24 hours. `userId` null: no one user's (a fan-out). */
  async rememberAnswer(tx: Tx, key: string, requestHash: string, userId: string | null, answer: RememberedAnswer): Promise<void> {
    const now = this.clock.now();
    await this.records.purgeOlderThan(tx, new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS));
    await this.records.store(
      tx,
      Object.assign(new IdempotencyRecord(), {
        key,
        requestHash,
        userId,
        statusCode: answer.statusCode,
        responseBody: answer.body,
        createdAt: now,
      }),
    );
  }
}
