import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { ACTIVITY_TRANSACTIONS } from '../activity.tokens';
import { Clock } from '../../common/clock';
import { utcDay } from '../analytics.service';
import type {
  FunnelDto,
  FunnelResponseDto,
  OverviewQueryDto,
  OverviewResponseDto,
  RetentionQueryDto,
  RetentionResponseDto,
} from '../dto/insights.dto';
import { RollupRepository } from '../repositories/rollup.repository';
import { addDays, FunnelCounter, Interval, periodOf, periodsBetween, ratio } from './insights-rules';

const MAX_RANGE_DAYS = 366;

/**
 * App-wide analytics. Overview and retention read the daily rollups the ingest path keeps (never
 * the raw events); the funnel reads only its steps' events in its range, through an index.
 */
@Injectable()
export class InsightsService {
  constructor(
    private readonly rollups: RollupRepository,
    private readonly clock: Clock,
    @Inject(ACTIVITY_TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  async overview(query: OverviewQueryDto): Promise<Omit<OverviewResponseDto, 'success'>> {
    const to = query.to ? query.to.slice(0, 10) : utcDay(this.clock.now());
    const from = query.from ? query.from.slice(0, 10) : addDays(to, -29);
    const interval: Interval = query.interval ?? 'day';
    if (from > to) throw invalidRange('from must not be after to');
    if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86_400_000)
      throw invalidRange(`the range may span at most ${MAX_RANGE_DAYS} days`);

    const windowStart = [from, addDays(to, -29)].sort()[0];
    const [stats, activeDays, cohorts, types, pages] = await Promise.all([
      this.rollups.dailyStats(this.transactions.reads, from, to),
      this.rollups.activeUserDays(this.transactions.reads, windowStart, to),
      this.rollups.cohortsBetween(this.transactions.reads, from, to),
      this.rollups.topCounts(this.transactions.reads, 'type', from, to, 10),
      this.rollups.topCounts(this.transactions.reads, 'page', from, to, 10),
    ]);

    const series = new Map(
      periodsBetween(from, to, interval).map((period) => [
        period,
        { period, users: new Set<string>(), events: 0, sessions: 0, new_users: 0 },
      ]),
    );
    const inRange = new Set<string>();
    for (const row of activeDays) {
      if (row.day < from) continue;
      inRange.add(row.userId);
      series.get(periodOf(row.day, interval))?.users.add(row.userId);
    }
    let sessionsEnded = 0;
    let sessionSeconds = 0;
    for (const stat of stats) {
      const bucket = series.get(periodOf(stat.day, interval));
      if (bucket) {
        bucket.events += stat.events;
        bucket.sessions += stat.sessionsStarted;
      }
      sessionsEnded += stat.sessionsEnded;
      sessionSeconds += stat.sessionSeconds;
    }
    for (const cohort of cohorts) {
      const bucket = series.get(periodOf(cohort.firstDay, interval));
      if (bucket) bucket.new_users++;
    }
    const distinctSince = (day: string) => new Set(activeDays.filter((row) => row.day >= day).map((row) => row.userId)).size;
    const newUsers = cohorts.filter((c) => inRange.has(c.userId)).length;
    return {
      from,
      to,
      interval,
      series: [...series.values()].map(({ users, ...rest }) => ({ ...rest, active_users: users.size })),
      totals: {
        active_users: inRange.size,
        events: stats.reduce((sum, s) => sum + s.events, 0),
        sessions: stats.reduce((sum, s) => sum + s.sessionsStarted, 0),
        avg_session_duration: sessionsEnded === 0 ? 0 : Math.round((sessionSeconds / sessionsEnded) * 1000) / 1000,
        new_users: newUsers,
        returning_users: inRange.size - newUsers,
      },
      dau: new Set(activeDays.filter((row) => row.day === to).map((row) => row.userId)).size,
      wau: distinctSince(addDays(to, -6)),
      mau: distinctSince(addDays(to, -29)),
      top_activity_types: types,
      top_pages: pages,
    };
  }

  async funnel(dto: FunnelDto): Promise<Omit<FunnelResponseDto, 'success'>> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    if (from > to) throw invalidRange('from must not be before to');
    const counter = new FunnelCounter(dto.steps, dto.within_seconds * 1000);
    await this.rollups.forEachStepEvent(this.transactions.reads, [...new Set(dto.steps)], from, to, (event) => counter.add(event));
    const reached = counter.counts();
    return {
      steps: dto.steps.map((step, i) => ({
        step,
        users: reached[i],
        conversion: i === 0 ? (reached[0] > 0 ? 1 : 0) : ratio(reached[i], reached[i - 1]),
      })),
    };
  }

  async retention(query: RetentionQueryDto): Promise<Omit<RetentionResponseDto, 'success'>> {
    const unit: Interval = query.cohort ?? 'week';
    const periods = query.periods ?? 8;
    const step = unit === 'day' ? 1 : 7;
    const current = periodOf(utcDay(this.clock.now()), unit);
    const first = addDays(current, -step * (periods - 1));
    const last = addDays(current, step - 1);
    const [cohorts, activeDays] = await Promise.all([
      this.rollups.cohortsBetween(this.transactions.reads, first, last),
      this.rollups.activeUserDays(this.transactions.reads, first, last),
    ]);

    const cohortOf = new Map(cohorts.map((c) => [c.userId, periodOf(c.firstDay, unit)]));
    const active = new Map<string, Set<string>>(); // "cohort|period" -> users
    for (const row of activeDays) {
      const cohort = cohortOf.get(row.userId);
      if (!cohort) continue;
      const key = `${cohort}|${periodOf(row.day, unit)}`;
      if (!active.has(key)) active.set(key, new Set());
      active.get(key)?.add(row.userId);
    }
    const rows = periodsBetween(first, current, unit).map((cohort) => {
      const size = cohorts.filter((c) => periodOf(c.firstDay, unit) === cohort).length;
      const retained: number[] = [];
      for (let k = 0, period = cohort; period <= current && k < periods; k++, period = addDays(period, step)) {
        retained.push(active.get(`${cohort}|${period}`)?.size ?? 0);
      }
      return { cohort, size, retained, rates: retained.map((n) => ratio(n, size)) };
    });
    return { cohort: unit, periods, cohorts: rows };
  }
}

function invalidRange(message: string): BadRequestException {
  return new BadRequestException({
    code: 'validation_failed',
    message: `Invalid request: ${message}`,
    details: [{ field: 'from', messages: [message] }],
  });
}
