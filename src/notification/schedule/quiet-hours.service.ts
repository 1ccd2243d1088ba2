import { Injectable } from '@nestjs/common';
import type { Db } from '../../database/engine/tx';
import { IN_APP } from '../delivery/channel-name';
import { NotificationSchedule } from '../entities/notification-schedule.entity';
import type { Notification } from '../entities/notification.entity';
import { NotificationScheduleRepository } from '../repositories/notification-schedule.repository';
import { NotificationTypeRepository } from '../repositories/notification-type.repository';
import { UserContactRepository } from '../repositories/user-contact.repository';
import { holdingUntil, isValidTimezone, type QuietSchedule, releaseTime } from './quiet-hours';

const WEBHOOK = 'webhook';

/**
 * The rules of quiet hours and pauses, as the senders ask them: when a user's non-urgent email,
 * SMS and push wait, and when an in-app notification lands silently. Urgent notifications and
 * required types always go at once. (Users change their schedule through ScheduleService.)
 */
@Injectable()
export class QuietHoursService {
  constructor(
    private readonly schedules: NotificationScheduleRepository,
    private readonly contacts: UserContactRepository,
    private readonly types: NotificationTypeRepository,
  ) {}

  /**
   * When the notification may be delivered if it is due at `at`: `at` itself, or the end of the
   * quiet hours or pause holding it. Urgent notifications and required types are never held.
   */
  async releaseTime(db: Db, notification: Notification, at: Date): Promise<Date> {
    // A webhook feeds another system, not a person: it has no night.
    if (notification.channel === WEBHOOK) return at;
    const schedule = await this.quietScheduleFor(db, notification);
    return schedule ? releaseTime(schedule, at) : at;
  }

  /** Whether an in-app notification landing at `at` lands silently (inside quiet hours or a pause). */
  async landsSilently(db: Db, notification: Notification, at: Date): Promise<boolean> {
    if (notification.channel !== IN_APP) return false;
    const schedule = await this.quietScheduleFor(db, notification);
    return schedule !== null && holdingUntil(schedule, at) !== null;
  }

  private async quietScheduleFor(db: Db, notification: Notification): Promise<QuietSchedule | null> {
    if (notification.priority === 'urgent') return null;
    const stored = await this.schedules.findByUser(db, notification.userId);
    if (!stored || (stored.quietHours.length === 0 && stored.pausedUntil === null)) return null;
    if ((await this.types.findByType(db, notification.notificationType))?.required) return null;
    return { timezone: await this.timezoneOf(db, stored), windows: stored.quietHours, pausedUntil: stored.pausedUntil };
  }

  /** The user's timezone: their schedule's, else their contact's, else UTC (digests end by it too). */
  async timezoneFor(db: Db, userId: string): Promise<string> {
    const stored = await this.schedules.findByUser(db, userId);
    return this.timezoneOf(db, stored ?? emptySchedule(userId, new Date(0)));
  }

  /** The timezone a stored schedule is read in: its own, else the contact's, else UTC. */
  async timezoneOf(db: Db, schedule: NotificationSchedule): Promise<string> {
    if (schedule.timezone) return schedule.timezone;
    const contactZone = (await this.contacts.findByUser(db, schedule.userId))?.timezone;
    return contactZone && isValidTimezone(contactZone) ? contactZone : 'UTC';
  }
}

export function emptySchedule(userId: string, now: Date): NotificationSchedule {
  return Object.assign(new NotificationSchedule(), { userId, timezone: null, quietHours: [], pausedUntil: null, updatedAt: now });
}
