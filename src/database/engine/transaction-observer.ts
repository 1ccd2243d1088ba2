/**
 * What a TransactionRunner tells about the storage it writes to: health, metrics and the log
 * listen (DatabaseMonitor implements it). The engine knows only this interface, so it depends on
 * nothing above it.
 */
export interface TransactionObserver {
  /** Names a database whose state is reported. */
  register(database: string): void;
  /** BEGIN found another process holding the write lock and will try again. */
  busyRetry(database: string): void;
  /** How long a transaction waited for the write lock, in ms. */
  lockWaited(database: string, ms: number): void;
  /** A transaction that wrote committed `units` units of work. */
  committed(database: string, units: number): void;
  /** A write failed for want of storage (full disk, I/O error), in SQLite's own words. */
  storageFailed(database: string, code: string, reason: string): void;
}
