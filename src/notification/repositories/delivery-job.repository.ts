import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThanOrEqual } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { Notification } from '../entities/notification.entity';
import { DeliveryJob } from '../entities/delivery-job.entity';

@Injectable()
export class DeliveryJobRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(job: DeliveryJob, manager: EntityManager): Promise<void> {
    await manager.insert(DeliveryJob, job);
  }

  /** Takes up to `limit` due pending jobs, most urgent first, and leases them until `leaseUntil`. */
  async claimDue(now: Date, limit: number, leaseUntil: Date, manager: EntityManager): Promise<DeliveryJob[]> {
    const due = await manager.find(DeliveryJob, {
      where: { state: 'pending', runAt: LessThanOrEqual(now) },
      order: { priority: 'ASC', runAt: 'ASC' },
      take: limit,
    });
    if (due.length === 0) return [];
    await manager.update(
      DeliveryJob,
      { notificationId: In(due.map((job) => job.notificationId)) },
      { state: 'running', leaseUntil, updatedAt: now },
    );
    return due.map((job) => Object.assign(job, { state: 'running', leaseUntil }));
  }

  /** Leases one due pending job for this worker; null when another took it or it is not due. */
  async claimOne(notificationId: string, now: Date, leaseUntil: Date, manager: EntityManager): Promise<DeliveryJob | null> {
    const result = await manager.update(
      DeliveryJob,
      { notificationId, state: 'pending', runAt: LessThanOrEqual(now) },
      { state: 'running', leaseUntil, updatedAt: now },
    );
    if (!result.affected) return null;
    return manager.findOneBy(DeliveryJob, { notificationId });
  }

  /** Due pending jobs, most urgent first (what the Redis relay hands to BullMQ). */
  findDue(now: Date, limit: number): Promise<DeliveryJob[]> {
    return this.dataSource.manager.find(DeliveryJob, {
      where: { state: 'pending', runAt: LessThanOrEqual(now) },
      order: { priority: 'ASC', runAt: 'ASC' },
      take: limit,
    });
  }

  /** Running jobs whose lease ran out (their worker died) go back to pending. */
  async releaseExpired(now: Date, manager: EntityManager): Promise<number> {
    const result = await manager.update(
      DeliveryJob,
      { state: 'running', leaseUntil: LessThanOrEqual(now) },
      { state: 'pending', leaseUntil: null, updatedAt: now },
    );
    return result.affected ?? 0;
  }

  /** When the next pending job falls due, or null when none waits. */
  async nextRunAt(): Promise<Date | null> {
    const next = await this.dataSource.manager.findOne(DeliveryJob, { where: { state: 'pending' }, order: { runAt: 'ASC' } });
    return next?.runAt ?? null;
  }

  async save(job: DeliveryJob, manager: EntityManager): Promise<void> {
    const { notificationId, ...fields } = job;
    await manager.update(DeliveryJob, { notificationId }, fields);
  }

  /** Puts running jobs back in the queue: at boot (their worker died) and at shutdown (unfinished). */
  async releaseRunning(now: Date, manager: EntityManager, ids?: string[]): Promise<number> {
    const where = ids ? { state: 'running' as const, notificationId: In(ids) } : { state: 'running' as const };
    const result = await manager.update(DeliveryJob, where, { state: 'pending', leaseUntil: null, updatedAt: now });
    return result.affected ?? 0;
  }

  /** Jobs waiting or in hand (the queue depth metric), through idx_delivery_jobs_due. */
  countQueued(): Promise<number> {
    return this.dataSource.manager.count(DeliveryJob, { where: [{ state: 'pending' }, { state: 'running' }] });
  }

  /** The run time of the oldest due pending job, if any (the queue age metric). */
  async oldestDueAt(now: Date): Promise<Date | null> {
    const oldest = await this.dataSource.manager.findOne(DeliveryJob, {
      where: { state: 'pending', runAt: LessThanOrEqual(now) },
      order: { runAt: 'ASC' },
    });
    return oldest?.runAt ?? null;
  }

  findByNotification(notificationId: string, manager: EntityManager = this.dataSource.manager): Promise<DeliveryJob | null> {
    return manager.findOneBy(DeliveryJob, { notificationId });
  }

  /**
   * Failed jobs whose notifications were created in [from, to), of one channel or all, oldest
   * first: found through idx_delivery_jobs_due (state first), failed jobs being few.
   */
  findFailed(filter: { from: Date; to: Date; channel?: string }, limit: number, manager: EntityManager): Promise<DeliveryJob[]> {
    const query = manager
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
