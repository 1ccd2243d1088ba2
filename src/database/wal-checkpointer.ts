import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { sqliteConnection } from './sql';

/** The checkpointing thread: its own connection to the file, a PASSIVE checkpoint every interval. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.pragma('wal_checkpoint(PASSIVE)');
  db.close();
  parentPort.close();
});
`;

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

/**
 * Moves SQLite's WAL checkpoints off the event loop.
 *
 * By default SQLite checkpoints inside the COMMIT that pushes the WAL past 1000 pages: that
 * commit copies the pages into the database file and fsyncs it, while every request waits (it
 * was two thirds of the cost of a commit under tracking load). Here a worker thread with its own
 * connection runs a PASSIVE checkpoint (which never blocks the writer) every `intervalMs`, and
 * the app's connection only finishes the job when the WAL gets long (see
 * APP_CONNECTION_CHECKPOINT_PAGES). Durability is unchanged: committed data is in the WAL
 * either way. Should the thread die, the connection goes back to checkpointing itself.
 */
export class WalCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WalCheckpointer.name);
  private worker?: Worker;

  constructor(
    private readonly dataSource: DataSource,
    private readonly intervalMs = 200,
    private readonly appCheckpointPages = APP_CONNECTION_CHECKPOINT_PAGES,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    const { type, database } = this.dataSource.options;
    if (type !== 'better-sqlite3' || this.worker || typeof database !== 'string' || database === ':memory:') return;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: database, intervalMs: this.intervalMs },
    });
    worker.unref();
    let failure = 'it stopped';
    worker.on('error', (error) => (failure = error.message));
    worker.on('exit', () => {
      if (this.worker !== worker) return; // stopped on purpose
      this.worker = undefined;
      this.logger.warn(`WAL checkpoint thread ended (${failure}); ${database} checkpoints on commit again`);
      if (this.dataSource.isInitialized) sqliteConnection(this.dataSource)?.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    });
    sqliteConnection(this.dataSource)?.pragma(`wal_autocheckpoint = ${this.appCheckpointPages}`);
    this.worker = worker;
  }

  /** Stops the thread after a last checkpoint. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = once(worker, 'exit');
    worker.postMessage('stop');
    await exited;
  }
}
