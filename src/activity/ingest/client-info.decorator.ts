import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { isBrowserFacing } from '../../auth/principal';
import type { Principal } from '../../auth/principal';
import { MAX_USER_AGENT } from './client-info';
import type { ClientInfo } from './client-info';

/** The request's own address and User-Agent, whoever sent it. */
function requestClient(request: Request): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return {
    ipAddress: request.ip ?? null,
    userAgent: typeof userAgent === 'string' && userAgent.length > 0 ? userAgent.slice(0, MAX_USER_AGENT) : null,
  };
}

/**
 * Injects the end user's address and User-Agent as the request shows them (see ClientInfo): the
 * request's own for browser-facing credentials, none for a backend's secret key.
 */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
  return isBrowserFacing(request.principal) ? requestClient(request) : { ipAddress: null, userAgent: null };
});
