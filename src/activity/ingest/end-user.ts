import { isIP } from 'node:net';
import type { ApiErrorDetail } from '../../common/api-error';
import type { JsonObject } from '../../common/json';
import { MAX_USER_AGENT } from './client-info.decorator';
import type { ClientInfo } from './client-info.decorator';

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
  const userAgent = contextUserAgent(context);
  if (userAgent !== undefined && userAgent !== null && typeof userAgent !== 'string') {
    const name = context?.user_agent !== undefined ? 'user_agent' : 'userAgent';
    errors.push({ field: `${field}.${name}`, messages: [`${field}.${name} must be a string`] });
  }
  return errors;
}

/**
 * Whose address and User-Agent an event carries: those the event's context names (a backend
 * passing on its user's), else those of the request when it came from the end user's device
 * (already null for backend credentials: see ClientInfo). Call endUserContextErrors first.
 */
export function endUserOf(context: JsonObject | null | undefined, request: ClientInfo): ClientInfo {
  const userAgent = contextUserAgent(context);
  const ip = context?.ip;
  return {
    ipAddress: typeof ip === 'string' && ip.length > 0 ? ip : request.ipAddress,
    userAgent: typeof userAgent === 'string' && userAgent.length > 0 ? userAgent.slice(0, MAX_USER_AGENT) : request.userAgent,
  };
}
