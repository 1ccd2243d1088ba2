import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { databaseConfig } from '../config/database.config';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, NOTIFICATION_DATA_SOURCE } from '../database/data-source-names';
import { DatabaseMonitor } from '../database/database-monitor';

/** How long a wait for another process's lock shows in health. */
const LOCK_WINDOW_MS = 10_000;

/**
 * Whether the databases can store data. A ping answers even when the disk is full (reads need no
 * space), so health would say "ok" while every write failed: this indicator reports what the
 * writes found, and the free space left where the files are.
 */
@Injectable()
export class StorageHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly monitor: DatabaseMonitor,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
    @InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly activityDb: DataSource,
    @InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly notificationDb: DataSource,
    @InjectDataSource(AUTH_DATA_SOURCE) private readonly authDb: DataSource,
  ) {}

  /** Down while a database's writes fail for want of storage (until one commits again), naming it and why. */
  writes(key: string): HealthIndicatorResult {
    const session = this.indicators.check(key);
    const failing = this.monitor.databases().flatMap((database) => {
      const failure = this.monitor.failure(database);
      return failure ? [{ database, ...failure }] : [];
    });
    if (failing.length === 0) return session.up();
    return session.down({
      message: failing.map((f) => `${f.database} database cannot store data (${f.code}: ${f.reason})`).join('; '),
      databases: Object.fromEntries(
        failing.map((f) => [f.database, { code: f.code, reason: f.reason, since: f.since.toISOString(), failed_writes: f.failures }]),
      ),
    });
  }

  /**
   * Degraded (still 200: writes wait, then go on) while a write has waited a second or more for
   * another process's lock (the CLI, a backup, a second Engage) within the last LOCK_WINDOW_MS:
   * the reason writes are slow or answered 503 database_busy, named where an operator looks first.
   */
  locks(key: string): HealthIndicatorResult {
    const session = this.indicators.check(key);
    const locked = this.monitor.recentlyLocked(LOCK_WINDOW_MS);
    if (locked.length === 0) return session.up();
    return session.degraded({
      message: `${locked.map((database) => `${database} database`).join(', ')}: writes waited 1 s or more for another process's lock in the last ${LOCK_WINDOW_MS / 1000} s`,
      databases: locked,
    });
  }

  /**
   * Degraded (still 200: reads and writes work) when the directory of a database has less free
   * space than STORAGE_MIN_FREE_MB: the warning before writes start failing. Reports the least
   * free space among the directories, never their paths.
   */
  async freeSpace(key: string): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const minFree = this.config.storageMinFreeBytes;
    let lowest: { database: string; bytes: number } | undefined;
    try {
      lowest = await this.lowestFreeBytes();
    } catch (error) {
      return session.down({ message: `free space unknown (${(error as NodeJS.ErrnoException).code ?? 'statfs failed'})` });
    }
    if (lowest === undefined) return session.up();
    if (lowest.bytes < minFree) {
      return session.degraded({
        message: `${lowest.database} database: ${Math.floor(lowest.bytes / 1048576)} MB free, under STORAGE_MIN_FREE_MB`,
        free_bytes: lowest.bytes,
        min_free_bytes: minFree,
      });
    }
    return session.up({ free_bytes: lowest.bytes, min_free_bytes: minFree });
  }

  /** The free space (for an unprivileged writer) of the fullest directory holding a database file. */
  async lowestFreeBytes(): Promise<{ database: string; bytes: number } | undefined> {
    let lowest: { database: string; bytes: number } | undefined;
    for (const [database, dataSource] of [
      [ACTIVITY_DATA_SOURCE, this.activityDb],
      [NOTIFICATION_DATA_SOURCE, this.notificationDb],
      [AUTH_DATA_SOURCE, this.authDb],
    ] as const) {
      const file = dataSource.options.database;
      if (typeof file !== 'string' || file === '' || file === ':memory:') continue;
      const stats = await statfs(dirname(resolve(file)));
      const bytes = stats.bavail * stats.bsize;
      if (!lowest || bytes < lowest.bytes) lowest = { database, bytes };
    }
    return lowest;
  }
}
