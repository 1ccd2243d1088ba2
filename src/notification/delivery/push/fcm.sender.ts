import { sign } from 'jsonwebtoken';
import type { FcmServiceAccount } from '../../../config/delivery.config';
import type { DeviceToken } from '../../entities/device-token.entity';
import type { Notification } from '../../entities/notification.entity';
import { DeliveryError } from '../delivery-error';
import { isRetryableStatus, retryAfterMs } from '../http-delivery';
import { DeadTokenError, PushSender, pushData } from './push-sender';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

interface FcmErrorBody {
  error?: {
    status?: string;
    details?: Array<{ '@type'?: string; errorCode?: string; fieldViolations?: Array<{ field?: string }> }>;
  };
}

/** Decides from FCM's error codes (never its message text) whether the registration token is dead. */
export function fcmDeadTokenReason(status: number, body: FcmErrorBody): string | null {
  const details = body.error?.details ?? [];
  const errorCode = details.find((d) => d.errorCode)?.errorCode ?? body.error?.status;
  if (errorCode === 'UNREGISTERED' || (status === 404 && body.error?.status === 'NOT_FOUND')) return 'UNREGISTERED';
  if (errorCode === 'INVALID_ARGUMENT') {
    // Only a violation on the token field means the token is bad; others are payload errors.
    const tokenViolation = details.some((d) => d.fieldViolations?.some((v) => v.field === 'message.token'));
    if (tokenViolation) return 'INVALID_ARGUMENT (registration token)';
  }
  return null;
}

/** Android (and any FCM client) through FCM HTTP v1, authenticated with a service account. */
export class FcmSender implements PushSender {
  readonly platform = 'android' as const;
  readonly name = 'fcm';
  private accessToken: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly account: FcmServiceAccount,
    private readonly baseUrl: string,
  ) {}

  async send(device: DeviceToken, notification: Notification) {
    const token = await this.getAccessToken();
    let response: Response;
    try {
      response = await fetch(
        `${this.baseUrl.replace(/\/$/, '')}/v1/projects/${encodeURIComponent(this.account.project_id)}/messages:send`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            message: {
              token: device.token,
              notification: { title: notification.title, body: notification.message },
              data: pushData(notification),
              android: {
                priority: notification.priority === 'urgent' || notification.priority === 'high' ? 'HIGH' : 'NORMAL',
                // FCM takes no client idempotency key (messages:send always makes a new message), so
                // a retry after a lost answer can reach the phone twice; the same tag makes the
                // second replace the first in the notification drawer rather than add a banner.
                notification: { tag: notification.id },
              },
            },
          }),
          signal: AbortSignal.timeout(10_000),
        },
      );
    } catch (error) {
      throw new DeliveryError(`fcm: ${(error as Error).message}`, true);
    }
    if (response.ok) {
      // `name` (projects/<project>/messages/<id>) is FCM's own id: kept as the attempt's provider_message_id.
      const body = (await response.json().catch(() => ({}))) as { name?: string };
      return { providerMessageId: body.name ?? null, statusCode: response.status };
    }
    const body = (await response.json().catch(() => ({}))) as FcmErrorBody;
    const dead = fcmDeadTokenReason(response.status, body);
    if (dead) throw new DeadTokenError(`FCM ${dead}`);
    if (response.status === 401) this.accessToken = null; // refreshed on the retry
    throw new DeliveryError(
      `fcm answered ${response.status} ${body.error?.status ?? ''}`.trim(),
      response.status === 401 || isRetryableStatus(response.status),
      response.status,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }

  /** OAuth2 access token from a signed service-account assertion, reused until near expiry. */
  private async getAccessToken(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now() + 60_000) return this.accessToken.value;
    const now = Math.floor(Date.now() / 1000);
    const assertion = sign(
      { iss: this.account.client_email, scope: SCOPE, aud: this.account.token_uri, iat: now, exp: now + 3600 },
      this.account.private_key,
      { algorithm: 'RS256' },
    );
    let response: Response;
    try {
      response = await fetch(this.account.token_uri, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new DeliveryError(`fcm oauth: ${(error as Error).message}`, true);
    }
    if (!response.ok) {
      throw new DeliveryError(`fcm oauth answered ${response.status}`, isRetryableStatus(response.status), response.status);
    }
    const body = (await response.json()) as { access_token: string; expires_in: number };
    this.accessToken = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return body.access_token;
  }
}
