import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { isBrowserFacing } from '../../auth/principal';
import type { Principal } from '../../auth/principal';
import { isProgramUserAgent } from './user-agent';

/**
 * The end user behind a request, as far as the request itself can tell. The address and
 * User-Agent of the request are the end user's only when the credential lives on the end user's
 * device (a publishable key, a beacon's `?key=`, a user token). A secret key is held by the host's
 * backend: its requests come from curl, axios or an SDK, whose User-Agent says nothing of the
 * user, so both are null and the tracked event's `context` must name them.
 */
export interface ClientInfo {
  /** The end user's address; X-Forwarded-For is honoured only when TRUST_PROXY is set. */
  ipAddress: string | null;
  userAgent: string | null;
}

export const MAX_USER_AGENT = 1024;

/** The request's own address and User-Agent, whoever sent it. */
export function requestClient(request: Request): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return {
    ipAddress: request.ip ?? null,
    userAgent: typeof userAgent === 'string' && userAgent.length > 0 ? userAgent.slice(0, MAX_USER_AGENT) : null,
  };
}

/**
 * Injects the end user's address and User-Agent as the request shows them (see ClientInfo). A
 * program's User-Agent on a browser-facing credential (a native app's HTTP stack, a script) is
 * not parsed: it names no device and is no crawler.
 */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
  if (!isBrowserFacing(request.principal)) return { ipAddress: null, userAgent: null };
  const client = requestClient(request);
  return client.userAgent !== null && isProgramUserAgent(client.userAgent) ? { ...client, userAgent: null } : client;
});
