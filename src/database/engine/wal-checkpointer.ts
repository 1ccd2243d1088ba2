import { FailureBurst } from '../../common/failure-burst';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { sqliteConnection } from './typeorm-adapter';

/**
 * The checkpointing thread: its own connection to the file, a PASSIVE checkpoint every interval.
 * A failed checkpoint (a full disk, an I/O error) is reported and tried again at the next
 * interval: an exception thrown from the timer would end the thread for good.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { timeout: 5000, fileMustExist: true });
} catch (error) {
  // better-sqlite3's SqliteError loses its message crossing to the parent: send a plain Error.
  throw new Error((error.code ? error.code + ': ' : '') + error.message);
}
function checkpoint() {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, reason: (error.code ? error.code + ': ' : '') + error.message });
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

type WorkerReport = { ok: true } | { ok: false; reason: string };

/**
 * A PASSIVE checkpoint never makes the writer wait, but under a steady stream of commits it may
 * never catch up with the end of the WAL, and SQLite starts the WAL over only once a checkpoint
 * has caught up. So the app's connection still checkpoints, but only past this many pages
 * (40 MB instead of SQLite's 4 MB): by then the thread has copied nearly all of them, the
 * commit copies the rest, and the WAL starts over.
 */
const APP_CONNECTION_CHECKPOINT_PAGES = 10_000;

/** SQLite's own default: checkpoint whenever the WAL holds this many pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/** Longest wait before starting a thread that keeps dying again (the wait doubles from restartDelayMs). */
const MAX_RESTART_DELAY_MS = 60_000;

export interface WalCheckpointerOptions {
  /** The database's name in logs ('activity', 'notification'). */
  database?: string;
  /** How often the thread checkpoints. */
  intervalMs?: number;
  /** WAL pages past which the app's own connection checkpoints at commit. */
  appCheckpointPages?: number;
  /** First wait before a thread that ended unexpectedly is started again; doubles while it keeps ending. */
  restartDelayMs?: number;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop.
 *
 * By default SQLite checkpoints inside the COMMIT that pushes the WAL past 1000 pages: that
 * commit copies the pages into the database file and fsyncs it, while every request waits (it
 * was two thirds of the cost of a commit under tracking load). Here a worker thread with its own
 * connection runs a PASSIVE checkpoint (which never blocks the writer) every `intervalMs`, and
 * the app's connection only finishes the job when the WAL gets long (see
 * APP_CONNECTION_CHECKPOINT_PAGES). Durability is unchanged: committed data is in the WAL
 * either way.
 *
 * A checkpoint that fails (a full disk) is logged once for the burst and tried again; when the
 * disk has room again the next one copies what the failed ones left. Should the thread end
 * anyway, the connection goes back to checkpointing itself and the thread is started again after
 * a backoff, so a WAL never grows unchecked for want of its thread.
 */
export class WalCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WalCheckpointer.name);
  private readonly database: string;
  private readonly intervalMs: number;
  private readonly appCheckpointPages: number;
  private readonly restartDelayMs: number;
  private worker?: Worker;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private nextRestartDelayMs: number;
  /** The failing checkpoints of the burst in progress, from the first. */
  private readonly burst = new FailureBurst();

  /** Checkpoints that failed so far (each one was tried again at the next interval). */
  failures = 0;
  /** Times the thread ended unexpectedly and was started again. */
  restarts = 0;

  constructor(
    private readonly dataSource: DataSource,
    options: WalCheckpointerOptions = {},
  ) {
    this.database = options.database ?? String(dataSource.options.database);
    this.intervalMs = options.intervalMs ?? 200;
    this.appCheckpointPages = options.appCheckpointPages ?? APP_CONNECTION_CHECKPOINT_PAGES;
    this.restartDelayMs = options.restartDelayMs ?? 1000;
    this.nextRestartDelayMs = this.restartDelayMs;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    const { type, database } = this.dataSource.options;
    if (type !== 'better-sqlite3' || this.worker || typeof database !== 'string' || database === ':memory:') return;
    this.stopped = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: database, intervalMs: this.intervalMs },
    });
    worker.unref();
    let failure = 'it stopped';
    worker.on('message', (report: WorkerReport) => this.onReport(report));
    worker.on('error', (error) => (failure = String((error as Error | undefined)?.message ?? error)));
    worker.on('exit', () => {
      if (this.worker !== worker) return; // stopped on purpose
      this.worker = undefined;
      if (this.dataSource.isInitialized) sqliteConnection(this.dataSource)?.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
      if (this.stopped || !this.dataSource.isInitialized) return;
      const delay = this.nextRestartDelayMs;
      this.nextRestartDelayMs = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
      this.logger.warn(
        `${this.database} database: WAL checkpoint thread ended (${failure}); commits checkpoint meanwhile, thread restarts in ${delay} ms`,
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.stopped || !this.dataSource.isInitialized) return;
        this.restarts += 1;
        this.start();
      }, delay);
      this.restartTimer.unref();
    });
    sqliteConnection(this.dataSource)?.pragma(`wal_autocheckpoint = ${this.appCheckpointPages}`);
    this.worker = worker;
  }

  /** Stops the thread after a last checkpoint. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = once(worker, 'exit');
    worker.postMessage('stop');
    await exited;
  }

  /** One line when checkpoints start failing, one when they work again: not one every interval. */
  private onReport(report: WorkerReport): void {
    if (report.ok) {
      // A thread that checkpoints is a healthy one: the next restart, if any, waits the least again.
      this.nextRestartDelayMs = this.restartDelayMs;
      const ended = this.burst.succeed();
      if (ended)
        this.logger.log(
          `${this.database} database: WAL checkpoints work again, after ${ended.failures} failed over ${ended.seconds} s (${ended.reason})`,
        );
      return;
    }
    this.failures += 1;
    if (this.burst.fail(report.reason))
      this.logger.warn(`${this.database} database: WAL checkpoint failed (${report.reason}); retrying every ${this.intervalMs} ms`);
  }
}
