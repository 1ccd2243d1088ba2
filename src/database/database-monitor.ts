import { Injectable, Logger } from '@nestjs/common';
import { FailureBurst } from '../common/failure-burst';
import { STORAGE_RETRY_AFTER_SECONDS } from '../common/storage-unavailable.exception';
import type { TransactionObserver } from './engine/transaction-observer';

/** What the transaction runners report as it happens; the metrics module listens (the database layer knows nothing of Prometheus). */
export interface DatabaseMonitorListener {
  /** BEGIN IMMEDIATE found another process holding the write lock and will try again. */
  busyRetry?(database: string): void;
  /** A transaction committed `units` units of work (one request each, mostly). */
  committed?(database: string, units: number): void;
  /** A transaction failed because the storage failed (SQLITE_FULL, SQLITE_IOERR…). */
  storageFailed?(database: string, code: string): void;
}

/** A database whose writes are failing, from the first failure of the burst. */
export interface StorageFailure {
  code: string;
  /** SQLite's own words (they name no path): "database or disk is full". */
  reason: string;
  since: Date;
  /** The latest failure of the burst. */
  lastAt: Date;
  /** Failed transactions in this burst so far. */
  failures: number;
}

/**
 * How long a failure counts for health without a new one: the Retry-After clients are given.
 * Health cannot wait for a write to succeed to say so: a load balancer that takes a 503 instance
 * out of rotation sends it no writes, and it would stay out for good. After this long with no
 * new failure health says 200 again, writes come back, and the next failure (if the disk is
 * still full) makes it 503 once more.
 */
export const STORAGE_FAILURE_HOLD_MS = STORAGE_RETRY_AFTER_SECONDS * 1000;

/** A wait for another process's write lock this long shows in health. */
export const LONG_LOCK_WAIT_MS = 1000;

/**
 * Whether each database can store data, as its writes last found: failing from the first storage
 * error (full disk, I/O error) until a write commits again (for health, only while failures keep
 * coming: see STORAGE_FAILURE_HOLD_MS). Health reports it, and the log gets one
 * warning when a burst starts and one line when it ends, not a stack per request: on a full disk
 * every write fails, and thousands of identical stacks would bury the one line that says why (and
 * fill what little disk is left).
 */
@Injectable()
export class DatabaseMonitor implements TransactionObserver {
  private readonly logger = new Logger('Storage');
  private readonly failing = new Map<string, FailureBurst>();
  private readonly lastBusyAt = new Map<string, number>();
  private readonly known = new Set<string>();
  private readonly listeners: DatabaseMonitorListener[] = [];

  /** Names a database whose state is reported (healthy until a write fails). */
  register(database: string): void {
    this.known.add(database);
  }

  /** The databases registered or seen failing. */
  databases(): string[] {
    return [...new Set([...this.known, ...this.failing.keys()])];
  }

  listen(listener: DatabaseMonitorListener): void {
    this.listeners.push(listener);
  }

  /** The failure of `database`'s writes in progress, if one was seen within STORAGE_FAILURE_HOLD_MS. */
  failure(database: string, now = Date.now()): StorageFailure | undefined {
    const state = this.failing.get(database)?.state;
    if (!state || now - state.lastAt.getTime() >= STORAGE_FAILURE_HOLD_MS) return undefined;
    return { code: state.code ?? '', reason: state.reason, since: state.since, lastAt: state.lastAt, failures: state.failures };
  }

  busyRetry(database: string): void {
    for (const listener of this.listeners) listener.busyRetry?.(database);
  }

  /**
   * How long a transaction waited for the write lock. Short waits are routine when delivery
   * workers share the file; a wait past LONG_LOCK_WAIT_MS is what slows requests (or ends in a
   * 503 database_busy), and health names it.
   */
  lockWaited(database: string, ms: number): void {
    if (ms >= LONG_LOCK_WAIT_MS) this.lastBusyAt.set(database, Date.now());
  }

  /** The databases whose writes waited long for another process's lock within the last `withinMs`. */
  recentlyLocked(withinMs: number, now = Date.now()): string[] {
    return [...this.lastBusyAt].filter(([, at]) => now - at < withinMs).map(([database]) => database);
  }

  /** A transaction that wrote committed: the burst of failures of `database`, if any, is over. */
  committed(database: string, units: number): void {
    const ended = this.failing.get(database)?.succeed();
    if (ended) {
      this.failing.delete(database);
      this.logger.log(
        `${database} database: writes succeed again, after ${ended.failures} failed transaction(s) over ${ended.seconds} s (${ended.reason})`,
      );
    }
    for (const listener of this.listeners) listener.committed?.(database, units);
  }

  storageFailed(database: string, code: string, reason: string): void {
    const burst = this.failing.get(database) ?? new FailureBurst();
    this.failing.set(database, burst);
    if (burst.fail(reason, code)) {
      this.logger.warn(
        `${database} database: writes failing (${code}: ${reason}); answering 503 storage_unavailable until a write succeeds`,
      );
    }
    for (const listener of this.listeners) listener.storageFailed?.(database, code);
  }
}
