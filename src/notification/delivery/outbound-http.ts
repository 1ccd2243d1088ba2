import { Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { Agent, buildConnector, fetch } from 'undici';
import { DeliveryError } from './delivery-error';
import { isRetryableStatus, retryAfterMs } from './http-delivery';
import { OutboundDeniedError, OutboundPolicy } from '../../common/outbound/outbound-policy';

const TIMEOUT_MS = 10_000;

/**
 * POSTs to URLs that users set (webhooks, Slack), under the OutboundPolicy. What the far end
 * answered never reaches the user who set the URL: the recorded error names the status and its
 * standard reason, a failed connection is "could not connect" whatever the cause (its text would
 * map the network: refused, reset, timed out), and the details go to the debug log only.
 * Redirects are not followed: a 3xx is a failed attempt.
 */
export class OutboundHttp {
  private readonly log = new Logger(OutboundHttp.name);
  private readonly agent: Agent;

  constructor(readonly policy: OutboundPolicy) {
    const connect = buildConnector({ lookup: policy.lookup, timeout: TIMEOUT_MS } as buildConnector.BuildOptions);
    this.agent = new Agent({
      // An address literal never reaches lookup: it is checked here, whatever parsed the URL.
      connect: (options, callback) => {
        try {
          policy.assertAddressLiteralAllowed(options.hostname);
        } catch (error) {
          callback(error as Error, null);
          return;
        }
        connect(options, callback);
      },
    });
  }

  async post(provider: string, rawUrl: string, init: { headers: Record<string, string>; body: string }): Promise<{ status: number }> {
    let url: URL;
    try {
      url = this.policy.checkUrl(rawUrl);
    } catch (error) {
      throw new DeliveryError(`${provider}: the URL ${(error as Error).message}`, false);
    }
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: init.headers,
        body: init.body,
        redirect: 'manual',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: unknown }).cause;
      if (cause instanceof OutboundDeniedError) throw new DeliveryError(`${provider}: the URL's host ${cause.message}`, false);
      this.log.debug(`${provider}: POST to ${url.host} failed: ${String(cause ?? error)}`);
      // Retryable: the request may not have arrived.
      throw new DeliveryError(`${provider}: could not connect`, true);
    }
    const reason = `${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim();
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel();
      return { status: response.status };
    }
    this.log.debug(`${provider}: ${url.host} answered ${reason}: ${await firstBytes(response, 500)}`);
    if (response.status >= 300 && response.status < 400) {
      throw new DeliveryError(`${provider} answered ${reason}; redirects are not followed`, false, response.status);
    }
    throw new DeliveryError(
      `${provider} answered ${reason}`,
      isRetryableStatus(response.status),
      response.status,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }

  /** Nest calls this at shutdown: open connections would keep the process alive. */
  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * At most `limit` bytes of a response body, as text; the rest is never read. An endpoint a user
 * set may answer with a body without end, a byte a second.
 */
async function firstBytes(response: { body: ReadableStream<Uint8Array> | null }, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const deadline = AbortSignal.timeout(1000);
    while (size < limit && !deadline.aborted) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A broken body says nothing more.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
