import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { MetricsService } from '../../metrics/metrics.service';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeliveryJobRepository } from '../repositories/delivery-job.repository';

/** The delivery queue's gauges, read from the job rows (the truth) when /metrics is scraped. */
@Injectable()
export class DeliveryMetricsService implements OnModuleInit {
  constructor(
    private readonly jobs: DeliveryJobRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onModuleInit(): void {
    if (!this.metrics) return;
    this.metrics.gauge('engage_delivery_queue_depth', 'Delivery jobs pending or in hand', () =>
      this.jobs.countQueued(this.transactions.reads),
    );
    this.metrics.gauge('engage_delivery_oldest_due_seconds', 'How long the oldest due delivery job has been waiting', async () => {
      const now = this.clock.now();
      const oldestDueAt = await this.jobs.oldestDueAt(this.transactions.reads, now);
      return oldestDueAt ? Math.max(0, (now.getTime() - oldestDueAt.getTime()) / 1000) : 0;
    });
    this.metrics.gauge(
      'engage_notification_db_pending_writes',
      'Writes waiting for the notification database',
      () => this.transactions.pending,
    );
  }
}
