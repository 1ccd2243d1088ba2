import { DeliveryError } from './delivery-error';

const TIMEOUT_MS = 10_000;

/** Parses Retry-After (seconds or an HTTP date) into ms. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Whether an HTTP status is worth retrying: timeouts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs to a provider and returns its response, or throws a classified DeliveryError for a
 * non-2xx answer or a network failure (always retryable: the request may not have arrived).
 */
export async function postToProvider(
  provider: string,
  url: string,
  init: { headers: Record<string, string>; body: string },
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new DeliveryError(`${provider}: ${(error as Error).message}`, true);
  }
  if (response.ok) return response;
  const text = (await response.text().catch(() => '')).slice(0, 500);
  throw new DeliveryError(
    `${provider} answered ${response.status}${text ? `: ${text}` : ''}`,
    isRetryableStatus(response.status),
    response.status,
    retryAfterMs(response.headers.get('retry-after')),
  );
}
