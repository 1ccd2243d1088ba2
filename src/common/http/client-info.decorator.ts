import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Where a request came from, as far as the server can tell. */
export interface ClientInfo {
  /** The caller's address; X-Forwarded-For is honoured only when TRUST_PROXY is set. */
  ipAddress: string | null;
  userAgent: string | null;
}

const MAX_USER_AGENT = 1024;

/** Injects the caller's IP address and user agent into a controller method. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<Request>();
  const userAgent = request.headers['user-agent'];
  return {
    ipAddress: request.ip ?? null,
    userAgent: typeof userAgent === 'string' && userAgent.length > 0 ? userAgent.slice(0, MAX_USER_AGENT) : null,
  };
});
