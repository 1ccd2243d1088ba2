import type { Request } from 'express';
import type { Principal } from './principal';

/**
 * A host's own authentication, in place of Engage's keys and user tokens: given the request (after
 * the host's middleware, so its session or JWT user is there), who is calling, or null for nobody
 * (401). Engage's own rules then apply to the answer: a `{ kind: 'user', userId }` reaches only
 * that user's data and the routes open to user tokens; an `{ kind: 'api_key', scope: 'admin' }`
 * may do anything; `scope: 'track'` only tracking.
 */
export type ResolvePrincipal = (request: Request) => Principal | null | Promise<Principal | null>;

/** DI token of the host's ResolvePrincipal, when it gave one. */
export const RESOLVE_PRINCIPAL = Symbol('ENGAGE_RESOLVE_PRINCIPAL');
