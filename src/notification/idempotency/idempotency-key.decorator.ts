import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';

/** What a retry can repeat exactly: 1 to 255 printable ASCII characters. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's Idempotency-Key header, or undefined when it has none; a malformed one is a 400
 * naming the header, before the handler runs.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const key = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    const message = 'Idempotency-Key must be 1 to 255 printable ASCII characters';
    throw new BadRequestException({
      code: 'validation_failed',
      message: `Invalid request: ${message}`,
      details: [{ field: 'Idempotency-Key', messages: [message] }],
    });
  }
  return key;
});

/** Documents the optional Idempotency-Key header of a route; `repeats` says what a replay spares. */
export function ApiIdempotencyKey(repeats: string): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: `Same key and body within 24 h: the first answer again, ${repeats}`,
  });
}
