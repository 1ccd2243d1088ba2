import { Injectable } from '@nestjs/common';
import { IdGenerator } from '../../common/id-generator';
import type { Tx } from '../../database/engine/tx';
import { NotificationDigest } from '../entities/notification-digest.entity';
import type { NotificationType } from '../entities/notification-type.entity';
import type { Notification } from '../entities/notification.entity';
import { ANY } from '../preferences/preference-resolution';
import { DigestPreferenceRepository } from '../repositories/digest-preference.repository';
import { NotificationDigestRepository } from '../repositories/notification-digest.repository';
import { NotificationTypeRepository } from '../repositories/notification-type.repository';
import { NotificationRepository } from '../repositories/notification.repository';
import { ThrottleCounterRepository } from '../repositories/throttle-counter.repository';
import { QuietHoursService } from '../schedule/quiet-hours.service';
import { DIGEST_TYPE, type DigestFrequency } from './digest-frequency';
import { resolveDigest } from './digest-resolution';
import { digestWindowEnd, hourStart } from './digest-window';

/** The channels whose messages a digest can gather: each goes to the user's own address or devices. */
export const DIGEST_CHANNELS: ReadonlySet<string> = new Set(['email', 'sms', 'push', 'slack']);

/** Data fields that address one send to somewhere else than the user's contact: such a send goes on its own. */
const ADDRESS_FIELDS = ['email', 'phone', 'slack_webhook_url'];

/** What becomes of a notification about to go out on its own. */
export type Routing =
  | { kind: 'send' }
  | { kind: 'digested'; digest: NotificationDigest }
  | { kind: 'dropped'; reason: string }
  /** In-app past its cap with excess `digest`: it lands, but without an alert (in-app items stay individual). */
  | { kind: 'silent' };

const SEND: Routing = { kind: 'send' };

/**
 * Decides, in the transaction that lets a notification out, whether it goes on its own, joins a
 * digest, or is dropped by its type's throttle:
 * - Digest: the user's choice for the type, else for every type (`*`), else the type's registry
 *   default; anything but `instant` gathers it into the user's digest on that channel, sent at
 *   the window's end. In-app notifications are never gathered.
 * - Throttle: a type with `throttle_per_hour` lets that many out per user, channel and clock hour;
 *   the rest join the hourly digest or are dropped, by the type's `throttle_excess`.
 * Urgent notifications, required types, sends addressed by their data and digests themselves are
 * exempt from both. Counting happens in the caller's transaction, so the cap is exact.
 */
@Injectable()
export class DigestPolicyService {
  constructor(
    private readonly types: NotificationTypeRepository,
    private readonly choices: DigestPreferenceRepository,
    private readonly counters: ThrottleCounterRepository,
    private readonly digests: NotificationDigestRepository,
    private readonly notifications: NotificationRepository,
    private readonly quietHours: QuietHoursService,
    private readonly ids: IdGenerator,
  ) {}

  /** For an email, SMS, push or Slack notification (stored already) that is due at `at`: records and answers its routing. */
  async routeOutbound(tx: Tx, notification: Notification, at: Date): Promise<Routing> {
    if (!DIGEST_CHANNELS.has(notification.channel) || this.isExempt(notification)) return SEND;
    const type = await this.types.findByType(tx, notification.notificationType);
    if (type?.required) return SEND;
    const frequency = await this.frequencyFor(tx, notification, type);
    if (frequency !== 'instant') return this.gather(tx, notification, frequency, at);
    if (!(await this.overCap(tx, notification, type, at))) return SEND;
    if (type!.throttleExcess === 'digest') return this.gather(tx, notification, 'hourly', at);
    const reason = throttleReason(notification, type!);
    await this.notifications.recordDeliveryOutcome(tx, notification.id, { status: 'throttled', error: reason });
    return { kind: 'dropped', reason };
  }

  /** For an in-app notification about to land (not stored yet): only the throttle applies. */
  async routeInApp(tx: Tx, notification: Notification, at: Date): Promise<Routing> {
    if (this.isExempt(notification)) return SEND;
    const type = await this.types.findByType(tx, notification.notificationType);
    if (!type || type.required || !(await this.overCap(tx, notification, type, at))) return SEND;
    return type.throttleExcess === 'digest' ? { kind: 'silent' } : { kind: 'dropped', reason: throttleReason(notification, type) };
  }

  private isExempt(notification: Notification): boolean {
    if (notification.priority === 'urgent' || notification.notificationType === DIGEST_TYPE) return true;
    const data = notification.data;
    return data !== null && ADDRESS_FIELDS.some((field) => data[field] !== undefined && data[field] !== null);
  }

  private async frequencyFor(tx: Tx, notification: Notification, type: NotificationType | null): Promise<DigestFrequency> {
    const choices = await this.choices.findFor(tx, notification.userId, [...new Set([notification.notificationType, ANY])]);
    return resolveDigest(choices, notification.notificationType, type).frequency;
  }

  /** Counts this one against the type's cap for the hour; true when it is past the cap (and is not counted). */
  private async overCap(tx: Tx, notification: Notification, type: NotificationType | null, at: Date): Promise<boolean> {
    if (!type || type.throttlePerHour === null) return false;
    const key = { userId: notification.userId, notificationType: notification.notificationType, channel: notification.channel };
    const window = hourStart(at);
    const counter = await this.counters.find(tx, key);
    const sent = counter && counter.windowStart.getTime() === window.getTime() ? counter.sent : 0;
    if (sent >= type.throttlePerHour) return true;
    await this.counters.save(tx, { ...key, windowStart: window, sent: sent + 1 });
    return false;
  }

  private async gather(tx: Tx, notification: Notification, frequency: Exclude<DigestFrequency, 'instant'>, at: Date): Promise<Routing> {
    const dueAt = digestWindowEnd(frequency, at, await this.quietHours.timezoneFor(tx, notification.userId));
    let digest = await this.digests.findOpen(tx, notification.userId, notification.channel, dueAt);
    if (!digest) {
      digest = Object.assign(new NotificationDigest(), {
        id: this.ids.next(),
        userId: notification.userId,
        channel: notification.channel,
        frequency,
        dueAt,
        state: 'open',
        notificationId: null,
        createdAt: at,
        updatedAt: at,
      });
      await this.digests.insert(tx, digest);
    }
    await this.notifications.gatherIntoDigest(tx, notification.id, digest.id);
    return { kind: 'digested', digest };
  }
}

function throttleReason(notification: Notification, type: NotificationType): string {
  return (
    `Throttled: "${notification.notificationType}" reaches a user at most ${type.throttlePerHour} times an hour on ` +
    `${notification.channel}, and the type drops the rest`
  );
}
