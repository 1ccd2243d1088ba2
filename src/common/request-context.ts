/** Where the request id lives on a request: a symbol, so no body or header can set it. */
const REQUEST_ID = Symbol('engage.requestId');

type WithRequestId = { [REQUEST_ID]?: string };

/**
 * The request id is carried on the request object, not in an AsyncLocalStorage: on Node 20 an
 * active AsyncLocalStorage makes every promise of the process run a hook when it is created, and
 * Nest's pipeline makes dozens per request (measured: ~5–10% of the CPU of a tracked event).
 * Everything that answers or logs for a request (the access log, the error filter, the body
 * parser's errors) has the request at hand.
 */
export function setRequestId(request: object, requestId: string): void {
  (request as WithRequestId)[REQUEST_ID] = requestId;
}

/** The id given to the request by requestContextMiddleware (undefined outside a request). */
export function requestIdOf(request: object): string | undefined {
  return (request as WithRequestId)[REQUEST_ID];
}
