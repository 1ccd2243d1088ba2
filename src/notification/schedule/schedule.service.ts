import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { validationFailed } from '../../common/validation/validation.pipe';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Db } from '../../database/engine/tx';
import { DELIVERY_QUEUE, type DeliveryQueue } from '../delivery/delivery-queue';
import type { PauseDto, PutScheduleDto } from '../dto/schedule.dto';
import type { NotificationSchedule } from '../entities/notification-schedule.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeliveryJobRepository } from '../repositories/delivery-job.repository';
import { NotificationScheduleRepository } from '../repositories/notification-schedule.repository';
import { isValidTimezone, nextLocalHour, releaseTime } from './quiet-hours';
import { emptySchedule, QuietHoursService } from './quiet-hours.service';

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
 * A user's quiet hours and pause, as they set them: read, replaced, paused and resumed. A change
 * sets free at once what the old schedule held and the new one does not.
 */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly schedules: NotificationScheduleRepository,
    private readonly quietHours: QuietHoursService,
    private readonly jobs: DeliveryJobRepository,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
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
    const view = await this.transactions.run(async (tx) => {
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
    return this.rejudgeHeld(userId, view);
  }

  /** Pauses everything non-urgent: for some minutes, until a time, or until tomorrow morning (local). */
  async pause(userId: string, dto: PauseDto): Promise<ScheduleView> {
    const given = [dto.minutes, dto.until, dto.until_tomorrow].filter((value) => value !== undefined).length;
    if (given !== 1) {
      const message = 'give exactly one of minutes, until and until_tomorrow';
      throw validationFailed(['minutes', 'until', 'until_tomorrow'].map((field) => ({ field, messages: [message] })));
    }
    const view = await this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const current = (await this.schedules.findByUser(tx, userId)) ?? emptySchedule(userId, now);
      let until: Date;
      if (dto.minutes !== undefined) until = new Date(now.getTime() + dto.minutes * 60_000);
      else if (dto.until !== undefined) until = new Date(dto.until);
      else until = nextLocalHour(await this.quietHours.timezoneOf(tx, current), now, TOMORROW_HOUR);
      if (until <= now) throw validationFailed([{ field: 'until', messages: ['until must be in the future'] }]);
      Object.assign(current, { pausedUntil: until, updatedAt: now });
      await this.schedules.save(tx, current);
      return this.describe(tx, current);
    });
    return this.rejudgeHeld(userId, view);
  }

  async resume(userId: string): Promise<ScheduleView> {
    const view = await this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const current = (await this.schedules.findByUser(tx, userId)) ?? emptySchedule(userId, now);
      Object.assign(current, { pausedUntil: null, updatedAt: now });
      await this.schedules.save(tx, current);
      return this.describe(tx, current);
    });
    return this.rejudgeHeld(userId, view);
  }

  /**
   * After a change of schedule, the jobs the old one held are due at once: the worker judges each
   * again under the new schedule (one still held goes back to wait; one set free goes). So a
   * pause ended early, or quiet hours shortened, lets held messages out now rather than at the
   * time the old schedule said. Retries keep their backoff, and sends scheduled for later their time.
   */
  private async rejudgeHeld(userId: string, view: ScheduleView): Promise<ScheduleView> {
    const jobs = await this.transactions.run((tx) => this.jobs.pullForwardHeld(tx, userId, this.clock.now()));
    for (const job of jobs) await this.queue.schedule(job).catch(() => undefined); // the row is the truth: the relay offers it again
    return view;
  }

  private async describe(db: Db, schedule: NotificationSchedule): Promise<ScheduleView> {
    const timezone = await this.quietHours.timezoneOf(db, schedule);
    const now = this.clock.now();
    const release = releaseTime({ timezone, windows: schedule.quietHours, pausedUntil: schedule.pausedUntil }, now);
    return { schedule, timezone, holdsUntil: release > now ? release : null };
  }
}
