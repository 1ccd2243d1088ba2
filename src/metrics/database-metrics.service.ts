import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DatabaseMonitor } from '../database/database-monitor';
import { MetricsService } from './metrics.service';

/**
 * The databases' metrics, recorded as the transaction runners report (busy retries, units per
 * commit, storage failures), and whether each database can store data, read when scraped.
 */
@Injectable()
export class DatabaseMetricsService implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly monitor: DatabaseMonitor,
  ) {}

  onModuleInit(): void {
    const { sqliteBusyRetries, sqliteTransactionUnits, sqliteStorageErrors } = this.metrics;
    this.monitor.listen({
      busyRetry: (database) => sqliteBusyRetries.inc({ database }),
      committed: (database, units) => sqliteTransactionUnits.observe({ database }, units),
      storageFailed: (database, code) => sqliteStorageErrors.inc({ database, code }),
    });
    const monitor = this.monitor;
    new Gauge({
      name: 'engage_storage_healthy',
      help: '1 while the database can store data, 0 from a storage failure (full disk, I/O error) until a write commits again',
      labelNames: ['database'] as const,
      registers: [this.metrics.registry],
      collect() {
        for (const database of monitor.databases()) this.set({ database }, monitor.failure(database) ? 0 : 1);
      },
    });
  }
}
