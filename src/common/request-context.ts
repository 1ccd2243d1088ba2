import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContextState {
  requestId: string;
}

/**
 * Carries the request id through everything a request causes, so a log line written deep in a
 * service still names the request that caused it.
 */
export const requestContext = new AsyncLocalStorage<RequestContextState>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
