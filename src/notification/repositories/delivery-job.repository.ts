import { Injectable } from '@nestjs/common';
import { In, LessThanOrEqual } from 'typeorm';
import { Notification } from '../entities/notification.entity';
import { DeliveryJob } from '../entities/delivery-job.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class DeliveryJobRepository {
  async insert(tx: Tx, job: DeliveryJob): Promise<void> {
    await tx.insert(DeliveryJob, job);
  }

  /** Takes up to `limit` due pending jobs, most urgent first, and leases them until `leaseUntil`. */
  async claimDue(tx: Tx, now: Date, limit: number, leaseUntil: Date): Promise<DeliveryJob[]> {
    const due = await tx.find(DeliveryJob, {
      where: { state: 'pending', runAt: LessThanOrEqual(now) },
      order: { priority: 'ASC', runAt: 'ASC' },
      take: limit,
    });
    if (due.length === 0) return [];
    await tx.update(
      DeliveryJob,
      { notificationId: In(due.map((job) => job.notificationId)) },
      { state: 'running', leaseUntil, updatedAt: now },
    );
    return due.map((job) => Object.assign(job, { state: 'running', leaseUntil }));
  }

  /** Leases one due pending job for this worker; null when another took it or it is not due. */
  async claimOne(tx: Tx, notificationId: string, now: Date, leaseUntil: Date): Promise<DeliveryJob | null> {
    const result = await tx.update(
      DeliveryJob,
      { notificationId, state: 'pending', runAt: LessThanOrEqual(now) },
      { state: 'running', leaseUntil, updatedAt: now },
    );
    if (!result.affected) return null;
    return tx.findOneBy(DeliveryJob, { notificationId });
  }

  /** Due pending jobs, most urgent first (what the Redis relay hands to BullMQ). */
  findDue(db: Db, now: Date, limit: number): Promise<DeliveryJob[]> {
    return db.find(DeliveryJob, {
      where: { state: 'pending', runAt: LessThanOrEqual(now) },
      order: { priority: 'ASC', runAt: 'ASC' },
      take: limit,
    });
  }

  /**
   * A user's jobs that quiet hours or a pause put off: pending, never attempted (not a retry's
   * backoff), due later, and not scheduled for later by their send. They are made due now, so the
   * worker judges them again under the user's schedule as it is; returns them, as changed.
   */
  async pullForwardHeld(tx: Tx, userId: string, now: Date): Promise<DeliveryJob[]> {
    // A user has few jobs that are pending and never tried: the rest of the test is done here.
    const waiting = await tx
      .createQueryBuilder(DeliveryJob, 'j')
      .innerJoin(Notification, 'n', 'n.id = j.notification_id')
      .where('n.user_id = :userId', { userId })
      .andWhere("j.state = 'pending' AND j.attempts = 0")
      .getMany();
    const later = waiting.filter((job) => job.runAt > now);
    if (later.length === 0) return [];
    const notifications = await tx.findBy(Notification, { id: In(later.map((job) => job.notificationId)) });
    const scheduledLater = new Set(notifications.filter((n) => n.scheduledAt !== null && n.scheduledAt > now).map((n) => n.id));
    const held = later.filter((job) => !scheduledLater.has(job.notificationId));
    if (held.length === 0) return [];
    await tx.update(
      DeliveryJob,
      { notificationId: In(held.map((job) => job.notificationId)), state: 'pending', attempts: 0 },
      { runAt: now, updatedAt: now },
    );
    return held.map((job) => Object.assign(job, { runAt: now, updatedAt: now }));
  }

  /** Running jobs whose lease ran out (their worker died) go back to pending. */
  async releaseExpired(tx: Tx, now: Date): Promise<number> {
    const result = await tx.update(
      DeliveryJob,
      { state: 'running', leaseUntil: LessThanOrEqual(now) },
      { state: 'pending', leaseUntil: null, updatedAt: now },
    );
    return result.affected ?? 0;
  }

  /** When the next pending job falls due, or null when none waits. */
  async nextRunAt(db: Db): Promise<Date | null> {
    const next = await db.findOne(DeliveryJob, { where: { state: 'pending' }, order: { runAt: 'ASC' } });
    return next?.runAt ?? null;
  }

  async deleteForNotification(tx: Tx, notificationId: string): Promise<void> {
    await tx.delete(DeliveryJob, { notificationId });
  }

  async save(tx: Tx, job: DeliveryJob): Promise<void> {
    const { notificationId, ...fields } = job;
    await tx.update(DeliveryJob, { notificationId }, fields);
  }

  /** Puts running jobs back in the queue: at boot (their worker died) and at shutdown (unfinished). */
  async releaseRunning(tx: Tx, now: Date, ids?: string[]): Promise<number> {
    const where = ids ? { state: 'running' as const, notificationId: In(ids) } : { state: 'running' as const };
    const result = await tx.update(DeliveryJob, where, { state: 'pending', leaseUntil: null, updatedAt: now });
    return result.affected ?? 0;
  }

  /** Jobs waiting or in hand (the queue depth metric), through idx_delivery_jobs_due. */
  countQueued(db: Db): Promise<number> {
    return db.count(DeliveryJob, { where: [{ state: 'pending' }, { state: 'running' }] });
  }

  /** The run time of the oldest due pending job, if any (the queue age metric). */
  async oldestDueAt(db: Db, now: Date): Promise<Date | null> {
    const oldest = await db.findOne(DeliveryJob, {
      where: { state: 'pending', runAt: LessThanOrEqual(now) },
      order: { runAt: 'ASC' },
    });
    return oldest?.runAt ?? null;
  }

  findByNotification(db: Db, notificationId: string): Promise<DeliveryJob | null> {
    return db.findOneBy(DeliveryJob, { notificationId });
  }

  /**
   * Failed jobs whose notifications were created in [from, to), of one channel or all, oldest
   * first: found through idx_delivery_jobs_due (state first), failed jobs being few.
   */
  findFailed(db: Db, filter: { from: Date; to: Date; channel?: string }, limit: number): Promise<DeliveryJob[]> {
    const query = db
      .createQueryBuilder(DeliveryJob, 'j')
      .innerJoin(Notification, 'n', 'n.id = j.notification_id')
      .where("j.state = 'failed'")
      .andWhere('n.created_at >= :from AND n.created_at < :to', { from: filter.from, to: filter.to })
      .orderBy('n.created_at', 'ASC')
      .limit(limit);
    if (filter.channel) query.andWhere('n.channel = :channel', { channel: filter.channel });
    return query.getMany();
  }
}
