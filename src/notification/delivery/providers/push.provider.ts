import type { DeviceToken } from '../../entities/device-token.entity';
import type { ChannelProvider, OutboundMessage, ProviderResult, RecipientSources } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import { DeadTokenError, PushSender } from '../push/push-sender';

/**
 * Push to every active device of the user, each through its platform's sender. Devices reached
 * are remembered so a retry only goes to the rest; dead tokens are deactivated, never retried.
 */
export class PushProvider implements ChannelProvider<DeviceToken[]> {
  readonly channel = 'push';
  readonly format = 'text';
  readonly recipientHint = 'active device: register one with POST /api/devices/register';
  readonly name: string;
  readonly setupHint: string | null;

  /** No sender: push is not set up, and sends on it are refused with the setup hint. */
  constructor(
    private readonly senders: PushSender[],
    private readonly deactivate: (device: DeviceToken, reason: string) => Promise<void>,
  ) {
    this.name = `push(${senders.map((s) => s.name).join(',')})`;
    this.setupHint =
      senders.length > 0
        ? null
        : 'set VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY/VAPID_SUBJECT (web), FCM_SERVICE_ACCOUNT (android) or APNS_KEY/APNS_KEY_ID/APNS_TEAM_ID/APNS_TOPIC (ios)';
  }

  /** The user's active devices (at delivery, those an earlier attempt has not reached). */
  async recipient({ devices }: RecipientSources): Promise<DeviceToken[] | null> {
    const active = await devices();
    return active.length > 0 ? active : null;
  }

  async send({ notification, recipient: devices }: OutboundMessage<DeviceToken[]>): Promise<ProviderResult> {
    const reached: string[] = [];
    const messageIds: string[] = [];
    let statusCode: number | null = null;
    const problems: string[] = [];
    let retryable: DeliveryError | null = null;
    for (const device of devices) {
      const sender = this.senders.find((s) => s.platform === device.platform);
      if (!sender) {
        problems.push(`${device.platform} device ${device.id}: no ${device.platform} push configured`);
        continue;
      }
      try {
        const result = await sender.send(device, notification);
        reached.push(device.id);
        if (result.providerMessageId) messageIds.push(result.providerMessageId);
        statusCode = result.statusCode;
      } catch (error) {
        // Kept with the failed attempt too: its retry sends the same id (apns-id), and the record shows both.
        if (error instanceof DeliveryError && error.providerMessageId) messageIds.push(error.providerMessageId);
        if (error instanceof DeadTokenError) {
          await this.deactivate(device, error.reason);
          problems.push(`device ${device.id} deactivated: ${error.reason}`);
        } else if (error instanceof DeliveryError && error.retryable) {
          retryable ??= error;
          problems.push(`device ${device.id}: ${error.message}`);
        } else {
          problems.push(`device ${device.id}: ${(error as Error).message}`);
        }
      }
    }
    if (retryable) {
      throw new DeliveryError(
        problems.join('; '),
        true,
        retryable.statusCode,
        retryable.retryAfterMs,
        reached,
        messageIds.join(',') || null,
      );
    }
    if (reached.length === 0) {
      throw new DeliveryError(
        problems.length > 0 ? problems.join('; ') : 'The user has no active device',
        false,
        null,
        null,
        [],
        messageIds.join(',') || null,
      );
    }
    return { outcome: 'sent', completedTargets: reached, statusCode, providerMessageId: messageIds.join(',') || null };
  }

  close(): void {
    for (const sender of this.senders) (sender as { close?: () => void }).close?.();
  }
}
