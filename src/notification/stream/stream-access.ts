import { ForbiddenException } from '@nestjs/common';
import { ownerOf, type Principal } from '../../auth/principal';
import { validationFailed } from '../../common/validation/validation.pipe';

/**
 * Whose stream (or stream ticket) a request is for: a user credential's own user (a user token,
 * or a ticket), never another's; an API key must name one with `user_id`.
 */
export function streamUserOf(principal: Principal | undefined, requested: string | undefined): string {
  const owner = ownerOf(principal);
  if (owner !== null) {
    if (requested !== undefined && requested !== owner) {
      throw new ForbiddenException({ code: 'forbidden', message: "A user credential can only open its own user's stream" });
    }
    return owner;
  }
  if (requested === undefined) throw validationFailed([{ field: 'user_id', messages: ['user_id is required with an API key'] }]);
  return requested;
}

/** Digits of an event id as the stream writes them (at most 15: below 2^53). */
const EVENT_ID = /^\d{1,15}$/;

/**
 * The event a stream resumes after: the Last-Event-ID header (what an EventSource sends when it
 * reconnects, so the freshest), else `?last_event_id=` (for clients that cannot set headers, or a
 * first connection resuming from a stored id), else none.
 */
export function resumeAfter(header: string | undefined, query: number | undefined): number | undefined {
  if (header === undefined) return query;
  const trimmed = header.trim();
  // An EventSource sends an empty Last-Event-ID before it has received an id: nothing to resume.
  if (trimmed === '') return query;
  if (!EVENT_ID.test(trimmed)) {
    throw validationFailed([{ field: 'Last-Event-ID', messages: ['Last-Event-ID must be the id of an event of this stream'] }]);
  }
  return Number(trimmed);
}
