import { sign } from 'jsonwebtoken';
import { ClientHttp2Session, connect, constants } from 'node:http2';
import { v5 as uuidv5 } from 'uuid';
import type { DeviceToken } from '../../entities/device-token.entity';
import type { Notification } from '../../entities/notification.entity';
import { DeliveryError } from '../delivery-error';
import { isRetryableStatus, retryAfterMs } from '../http-delivery';
import { DeadTokenError, PushSender, pushData } from './push-sender';

/** Provider tokens are valid for an hour; APNs refuses to see them renewed more than every 20 min. */
const PROVIDER_TOKEN_TTL_MS = 50 * 60_000;

/** Fixed namespace of Engage's apns-id values; changing it would change every id. */
const APNS_ID_NAMESPACE = 'c124b117-5be8-42a3-b3ca-cbbf6818655c';

/**
 * The apns-id of one notification to one device: a UUIDv5 (lowercase canonical form, as APNs
 * requires) of the two ids, so every retry and a re-drive after a crash send the same apns-id.
 * Delivery is at least once; this is the handle that ties each attempt to Apple's delivery log.
 */
export function apnsId(notificationId: string, deviceId: string): string {
  return uuidv5(`${notificationId}:${deviceId}`, APNS_ID_NAMESPACE);
}

/** iOS through APNs over HTTP/2 with token-based (ES256 JWT) authentication. */
export class ApnsSender implements PushSender {
  readonly platform = 'ios' as const;
  readonly name = 'apns';
  private session: ClientHttp2Session | null = null;
  private providerToken: { value: string; issuedAt: number } | null = null;

  constructor(private readonly config: { key: string; keyId: string; teamId: string; topic: string; baseUrl: string }) {}

  async send(device: DeviceToken, notification: Notification) {
    const body = JSON.stringify({
      aps: { alert: { title: notification.title, body: notification.message }, sound: 'default' },
      ...pushData(notification),
    });
    const id = apnsId(notification.id, device.id);
    const { status, headers, text } = await this.request(device.token, body, {
      'apns-id': id,
      // A duplicate that does reach the phone replaces the first banner instead of adding one.
      'apns-collapse-id': notification.id,
      'apns-priority': notification.priority === 'low' ? '5' : '10',
    });
    // APNs answers with the apns-id it was given, errors included; recorded for the audit trail.
    const answeredId = (headers['apns-id'] as string | undefined) ?? id;
    if (status === 200) return { providerMessageId: answeredId, statusCode: status };

    const reason = (() => {
      try {
        return (JSON.parse(text) as { reason?: string }).reason ?? '';
      } catch {
        return '';
      }
    })();
    if (status === 410 || reason === 'Unregistered') throw new DeadTokenError('APNs Unregistered');
    if (reason === 'BadDeviceToken') {
      throw new DeadTokenError('APNs BadDeviceToken (also what a sandbox token sent to production gets)');
    }
    if (reason === 'ExpiredProviderToken' || reason === 'InvalidProviderToken') this.providerToken = null;
    throw new DeliveryError(
      `apns answered ${status}${reason ? ` ${reason}` : ''}`,
      reason === 'ExpiredProviderToken' || isRetryableStatus(status),
      status,
      retryAfterMs((headers['retry-after'] as string | undefined) ?? null),
      [],
      answeredId,
    );
  }

  close(): void {
    this.session?.close();
    this.session = null;
  }

  private request(
    token: string,
    body: string,
    notificationHeaders: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
    return new Promise((resolve, reject) => {
      const session = this.getSession();
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(token)}`,
        authorization: `bearer ${this.getProviderToken()}`,
        'apns-topic': this.config.topic,
        'apns-push-type': 'alert',
        ...notificationHeaders,
        'content-type': 'application/json',
      });
      const chunks: Buffer[] = [];
      let headers: Record<string, unknown> = {};
      stream.setTimeout(10_000, () => stream.close(constants.NGHTTP2_CANCEL));
      stream.on('response', (responseHeaders) => (headers = responseHeaders));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const status = Number(headers[constants.HTTP2_HEADER_STATUS] ?? 0);
        if (status === 0) reject(new DeliveryError('apns: no response', true));
        else resolve({ status, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('error', (error) => reject(new DeliveryError(`apns: ${error.message}`, true)));
      stream.end(body);
    });
  }

  private getSession(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.config.baseUrl);
    session.on('error', () => {
      if (this.session === session) this.session = null;
    });
    session.on('close', () => {
      if (this.session === session) this.session = null;
    });
    session.unref();
    this.session = session;
    return session;
  }

  private getProviderToken(): string {
    const now = Date.now();
    if (this.providerToken && now - this.providerToken.issuedAt < PROVIDER_TOKEN_TTL_MS) return this.providerToken.value;
    const value = sign({ iss: this.config.teamId, iat: Math.floor(now / 1000) }, this.config.key, {
      algorithm: 'ES256',
      keyid: this.config.keyId,
    });
    this.providerToken = { value, issuedAt: now };
    return value;
  }
}
