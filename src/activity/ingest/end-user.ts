import { isIP } from 'node:net';
import type { ApiErrorDetail } from '../../common/api-error';
import type { JsonObject } from '../../common/json';
import { MAX_USER_AGENT } from './client-info';
import type { ClientInfo } from './client-info';
import { isProgramUserAgent } from './user-agent';

/**
 * The end user's User-Agent as the event's context names it: Engage's `user_agent`, or Segment's
 * `userAgent`.
 */
function contextUserAgent(context: JsonObject | null | undefined): unknown {
  return context?.user_agent ?? context?.userAgent;
}

/**
 * What is wrong with the end-user fields of an event's context, if anything: `ip` must be an IPv4
 * or IPv6 address and the User-Agent a string, since both are stored and the User-Agent parsed.
 */
export function endUserContextErrors(context: JsonObject | null | undefined, field = 'context'): ApiErrorDetail[] {
  const errors: ApiErrorDetail[] = [];
  const ip = context?.ip;
  if (ip !== undefined && ip !== null && (typeof ip !== 'string' || isIP(ip) === 0)) {
    errors.push({ field: `${field}.ip`, messages: [`${field}.ip must be an IPv4 or IPv6 address`] });
  }
  for (const name of ['user_agent', 'userAgent']) {
    const userAgent = context?.[name];
    if (userAgent !== undefined && userAgent !== null && typeof userAgent !== 'string') {
      errors.push({ field: `${field}.${name}`, messages: [`${field}.${name} must be a string`] });
    }
  }
  return errors;
}

/**
 * Whose address and User-Agent an event carries: those the event's context names (a backend
 * passing on its user's), else those of the request when it came from the end user's device
 * (already null for backend credentials: see ClientInfo). Call endUserContextErrors first.
 */
export function endUserOf(context: JsonObject | null | undefined, request: ClientInfo): ClientInfo {
  const fromContext = contextUserAgent(context);
  const ip = context?.ip;
  const userAgent = typeof fromContext === 'string' && fromContext.length > 0 ? fromContext.slice(0, MAX_USER_AGENT) : request.userAgent;
  return {
    ipAddress: typeof ip === 'string' && ip.length > 0 ? ip : request.ipAddress,
    // A program's User-Agent names no device and is no crawler's: kept as none, from either source.
    userAgent: userAgent !== null && isProgramUserAgent(userAgent) ? null : userAgent,
  };
}
