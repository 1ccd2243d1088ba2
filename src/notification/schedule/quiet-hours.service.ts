import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { validationFailed } from '../../common/validation/validation.pipe';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Db } from '../../database/engine/tx';
import { IN_APP } from '../delivery/channel-name';
import type { PauseDto, PutScheduleDto } from '../dto/schedule.dto';
import { NotificationSchedule } from '../entities/notification-schedule.entity';
import type { Notification } from '../entities/notification.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { NotificationScheduleRepository } from '../repositories/notification-schedule.repository';
import { NotificationTypeRepository } from '../repositories/notification-type.repository';
import { UserContactRepository } from '../repositories/user-contact.repository';
import { holdingUntil, isValidTimezone, nextLocalHour, type QuietSchedule, releaseTime } from './quiet-hours';

const WEBHOOK = 'webhook';

/** "Until tomorrow" ends at this local hour of the next morning. */
const TOMORROW_HOUR = 8;

/** A user's schedule as the API shows it, with what it means right now. */
export interface ScheduleView {
  schedule: NotificationSchedule;
  /** The timezone the windows are read in (the schedule's, else the contact's, else UTC). */
  timezone: string;
  /** When a non-urgent notification due now would go out: null when it would go now. */
  holdsUntil: Date | null;
}

/**
 * Quiet hours and pauses: when a user's non-urgent email, SMS and push wait, and when an in-app
 * notification lands silently. Urgent notifications and required types always go at once.
 */
@Injectable()
export class QuietHoursService {
  constructor(
    private readonly schedules: NotificationScheduleRepository,
    private readonly contacts: UserContactRepository,
    private readonly types: NotificationTypeRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async view(userId: string): Promise<ScheduleView> {
    const schedule = (await this.schedules.findByUser(this.transactions.reads, userId)) ?? emptySchedule(userId, this.clock.now());
    return this.describe(this.transactions.reads, schedule);
  }

  /** Replaces the quiet hours (and timezone); a pause in progress stays. */
  async put(userId: string, dto: PutScheduleDto): Promise<ScheduleView> {
    if (dto.timezone !== undefined && !isValidTimezone(dto.timezone)) {
      throw validationFailed([{ field: 'timezone', messages: ['timezone must be an IANA timezone, like Europe/London'] }]);
    }
    const sameStartEnd = dto.quiet_hours.findIndex((window) => window.start === window.end);
    if (sameStartEnd >= 0) {
      throw validationFailed([
        { field: `quiet_hours[${sameStartEnd}].end`, messages: ['end must differ from start (use a pause to be quiet all day)'] },
      ]);
    }
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const current = (await this.schedules.findByUser(tx, userId)) ?? emptySchedule(userId, now);
      Object.assign(current, {
        timezone: dto.timezone ?? null,
        quietHours: dto.quiet_hours.map((window) => ({ days: [...new Set(window.days)].sort(), start: window.start, end: window.end })),
        updatedAt: now,
      });
      await this.schedules.save(tx, current);
      return this.describe(tx, current);
    });
  }

  /** Pauses everything non-urgent: for some minutes, until a time, or until tomorrow morning (local). */
  async pause(userId: string, dto: PauseDto): Promise<ScheduleView> {
    const given = [dto.minutes, dto.until, dto.until_tomorrow].filter((value) => value !== undefined).length;
    if (given !== 1) {
      const message = 'give exactly one of minutes, until and until_tomorrow';
      throw validationFailed(['minutes', 'until', 'until_tomorrow'].map((field) => ({ field, messages: [message] })));
    }
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const current = (await this.schedules.findByUser(tx, userId)) ?? emptySchedule(userId, now);
      let until: Date;
      if (dto.minutes !== undefined) until = new Date(now.getTime() + dto.minutes * 60_000);
      else if (dto.until !== undefined) until = new Date(dto.until);
      else until = nextLocalHour(await this.timezoneOf(tx, current), now, TOMORROW_HOUR);
      if (until <= now) throw validationFailed([{ field: 'until', messages: ['until must be in the future'] }]);
      Object.assign(current, { pausedUntil: until, updatedAt: now });
      await this.schedules.save(tx, current);
      return this.describe(tx, current);
    });
  }

  resume(userId: string): Promise<ScheduleView> {
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const current = (await this.schedules.findByUser(tx, userId)) ?? emptySchedule(userId, now);
      Object.assign(current, { pausedUntil: null, updatedAt: now });
      await this.schedules.save(tx, current);
      return this.describe(tx, current);
    });
  }

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

  private async timezoneOf(db: Db, schedule: NotificationSchedule): Promise<string> {
    if (schedule.timezone) return schedule.timezone;
    const contactZone = (await this.contacts.findByUser(db, schedule.userId))?.timezone;
    return contactZone && isValidTimezone(contactZone) ? contactZone : 'UTC';
  }

  private async describe(db: Db, schedule: NotificationSchedule): Promise<ScheduleView> {
    const timezone = await this.timezoneOf(db, schedule);
    const now = this.clock.now();
    const release = releaseTime({ timezone, windows: schedule.quietHours, pausedUntil: schedule.pausedUntil }, now);
    return { schedule, timezone, holdsUntil: release > now ? release : null };
  }
}

function emptySchedule(userId: string, now: Date): NotificationSchedule {
  return Object.assign(new NotificationSchedule(), { userId, timezone: null, quietHours: [], pausedUntil: null, updatedAt: now });
}
