import { Agent, RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { OutboundPolicy } from './outbound-policy';

/**
 * An https.Agent that connects only where the outbound policy allows, for libraries that take an
 * agent (web-push): names through the policy's lookup, address literals (which never reach a
 * lookup) checked here.
 */
export class GuardedHttpsAgent extends Agent {
  constructor(private readonly policy: OutboundPolicy) {
    super({ lookup: policy.lookup as never, keepAlive: true });
  }

  override createConnection(options: RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    this.policy.assertAddressLiteralAllowed(String(options.host ?? options.hostname ?? ''));
    return super.createConnection(options, callback);
  }
}
