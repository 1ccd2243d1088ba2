import { Logger } from '@nestjs/common';
import type { Statement } from 'better-sqlite3';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseBusyException } from '../../common/database-busy.exception';
import { isBusy, isStorageFailure, sqliteErrorCode } from '../../common/sqlite-error-code';
import { StorageUnavailableException } from '../../common/storage-unavailable.exception';
import { CommitBuffer } from './commit-buffer';
import { sql } from './sql';
import type { TransactionObserver } from './transaction-observer';
import type { Db, Tx } from './tx';
import { markInTransaction, sqliteConnection } from './typeorm-adapter';

interface Unit {
  work: (tx: Tx) => Promise<unknown>;
  weight: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface TransactionRunnerOptions {
  /**
   * How long the first request waits for others to join its transaction: its added latency when
   * the database is idle.
   */
  gatherMs?: number;
  /** How long a transaction waits for another process's write lock before DatabaseBusyException (503). */
  busyWaitMs?: number;
  /** The database's name in logs, health and metrics ('activity', 'notification'). */
  database?: string;
  /** Told of busy retries, commits and storage failures (health, metrics, the log). */
  monitor?: TransactionObserver;
}

/** Most units of work one SQLite transaction takes. */
const MAX_GROUP = 256;

/**
 * Most weight (roughly: rows written) one transaction takes. A transaction runs without giving
 * the event loop back (better-sqlite3 is synchronous), so this bounds how long other requests
 * wait: a group of whole batches would otherwise hold the process for a second.
 */
const MAX_GROUP_WEIGHT = 1000;

/**
 * Longest one BEGIN blocks the event loop while another process holds the write lock:
 * better-sqlite3 waits synchronously, so its busy timeout is cut to this and the waiting goes on
 * asynchronously (see beginImmediate).
 */
export const BUSY_SLICE_MS = 50;

/** How long a transaction waits in all for another process's write lock before a 503. */
export const DEFAULT_BUSY_WAIT_MS = 5000;

/**
 * Runs units of work in transactions on a SQLite database, with group commit.
 *
 * TypeORM's better-sqlite3 driver shares one connection and one query runner across all
 * callers, so overlapping `dataSource.transaction()` calls would nest and one request's COMMIT or
 * ROLLBACK would swallow another's writes: units are queued here instead. The first unit waits up to
 * `gatherMs` for others, and while one transaction runs the units that arrive wait: the next
 * transaction takes them all (fewer commits, each request still answered within milliseconds). Each unit runs under its own SAVEPOINT, so a failing unit
 * rolls back only its own writes, and each caller is answered only after the COMMIT that holds its
 * writes: nothing acknowledged can be lost to a crash of the process.
 *
 * On other databases (real connection pools) each unit simply gets a transaction of its own.
 */
export class TransactionRunner {
  private readonly queue: Unit[] = [];
  private draining = false;
  private inFlight = 0;
  private readonly gatherMs: number;
  private readonly busyWaitMs: number;
  private readonly database: string;
  private readonly monitor?: TransactionObserver;

  /** How often BEGIN found another process holding the write lock and tried again. */
  busyRetries = 0;
  private sliced = false;
  private totalChangesStatement?: Statement;
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    options: TransactionRunnerOptions = {},
  ) {
    this.gatherMs = options.gatherMs ?? 2;
    this.busyWaitMs = options.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
    this.database = options.database ?? String(dataSource.options.database);
    this.monitor = options.monitor;
    this.monitor?.register(this.database);
  }

  /** Transactions begun on SQLite so far (how well group commit gathers). */
  transactions = 0;

  /** Units not yet answered (waiting or in the running transaction): what overload protection looks at. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /**
   * The handle for reads outside any transaction. (On SQLite it shares the one connection, so a
   * read made while a group transaction is open sees that transaction's writes so far.)
   */
  get reads(): Db {
    return this.dataSource.manager as Db;
  }

  /**
   * Runs `work` in a transaction and resolves once that transaction has committed.
   * @param weight what the unit writes, about in rows (a batch of 100 events weighs 100).
   */
  run<T>(work: (tx: Tx) => Promise<T>, weight = 1): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') return this.dataSource.transaction((manager) => work(manager as Tx));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, weight, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // better-sqlite3 runs statements synchronously, so a transaction started at once would
        // finish before the event loop reads the next request, and every request would commit
        // alone. Waiting a moment lets the requests arriving meanwhile share the commit.
        setTimeout(() => void this.drain(), this.gatherMs);
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.groupSize());
        this.inFlight = group.length;
        let outcomes: Outcome[];
        try {
          outcomes = group.length === 1 ? await this.runAlone(group[0]) : await this.runGroup(group);
        } catch (error) {
          // The transaction itself failed (BEGIN or COMMIT): none of the group is stored.
          outcomes = group.map(() => ({ ok: false, error }));
        }
        this.inFlight = 0;
        outcomes.forEach((outcome, i) => (outcome.ok ? group[i].resolve(outcome.value) : group[i].reject(this.forCaller(outcome.error))));
        // Give the event loop a turn: answers go out, and the requests that arrived during the
        // transaction are read and join the next one (without this, a queue that never empties
        // would keep newly arrived requests unread until it did).
        if (this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * One SQLite transaction, begun IMMEDIATE. TypeORM begins deferred transactions: those take the
   * write lock at their first write, after their first read, and if another process (the CLI,
   * a delivery worker) committed in between, SQLite cannot wait and answers "database is locked"
   * at once. BEGIN IMMEDIATE takes the lock first, waiting up to the busy timeout for it.
   */
  private async transaction<T>(units: number, work: (tx: Tx, buffer: CommitBuffer) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const manager = runner.manager as Tx;
    // The driver's query runners all share its one connection; this one only carries the
    // transaction flag, so that TypeORM's own save() calls inside do not begin another.
    try {
      await this.beginImmediate(manager);
      this.transactions += 1;
      markInTransaction(runner, true);
      const changesBefore = this.totalChanges();
      const buffer = CommitBuffer.attach(manager);
      try {
        const value = await work(manager, buffer);
        // A unit run alone is kept here; a group's units were kept or dropped one by one.
        buffer.keepUnit();
        await buffer.flush(manager);
        // Only a transaction that wrote says anything about the storage: on a full disk a
        // read-only one (a queue poll) still commits, and must not end the burst of failures.
        const wrote = this.totalChanges() !== changesBefore;
        await sql.run(manager, 'COMMIT');
        this.reportCommitted(units, wrote);
        return value;
      } catch (error) {
        // SQLite may have rolled the transaction back itself (it does on SQLITE_FULL and I/O
        // errors); a ROLLBACK then would only fail in turn.
        if (sqliteConnection(this.dataSource)?.inTransaction) await sql.run(manager, 'ROLLBACK');
        throw error;
      }
    } catch (error) {
      const code = sqliteErrorCode(error);
      if (isStorageFailure(code)) {
        // SQLite's own words ("database or disk is full"), not TypeORM's wrapping of them.
        const failure = error as { message?: unknown; driverError?: { message?: unknown } };
        this.monitor?.storageFailed(this.database, code, String(failure.driverError?.message ?? failure.message));
      }
      throw error;
    } finally {
      CommitBuffer.detach(manager);
      markInTransaction(runner, false);
      await runner.release();
    }
  }

  /** SQLite's count of rows changed on this connection since it opened (-1 off SQLite). */
  private totalChanges(): number {
    const connection = sqliteConnection(this.dataSource);
    if (!connection) return -1;
    this.totalChangesStatement ??= connection.prepare('SELECT total_changes()').pluck();
    return this.totalChangesStatement.get() as number;
  }

  /**
   * Tells the monitor of a commit. Its data is committed whatever happens here: a listener that
   * throws must not make the callers retry (and store twice) what is already stored.
   */
  private reportCommitted(units: number, wrote: boolean): void {
    if (!wrote) return;
    try {
      this.monitor?.committed(this.database, units);
    } catch (error) {
      this.logger.warn(`Reporting a commit of ${this.database} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** What a caller is answered for `error`: a storage failure is a 503 the client can retry, not a bug. */
  private forCaller(error: unknown): unknown {
    const code = sqliteErrorCode(error);
    return isStorageFailure(code) ? new StorageUnavailableException(this.database, code) : error;
  }

  /**
   * BEGIN IMMEDIATE, waiting for another process's write lock without holding up the event loop
   * (health checks, other databases, reads all go on): each try blocks BUSY_SLICE_MS at most, and
   * the tries go on asynchronously, with backoff, for busyWaitMs; then DatabaseBusyException.
   */
  private async beginImmediate(manager: EntityManager): Promise<void> {
    if (!this.sliced) {
      sqliteConnection(this.dataSource)?.pragma(`busy_timeout = ${BUSY_SLICE_MS}`);
      this.sliced = true;
    }
    const started = Date.now();
    const deadline = started + this.busyWaitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      try {
        await sql.run(manager, 'BEGIN IMMEDIATE');
        this.monitor?.lockWaited(this.database, Date.now() - started);
        return;
      } catch (error) {
        if (!isBusy(sqliteErrorCode(error))) throw error;
        this.busyRetries += 1;
        this.monitor?.busyRetry(this.database);
        if (Date.now() >= deadline) {
          this.monitor?.lockWaited(this.database, Date.now() - started);
          throw new DatabaseBusyException();
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** How many queued units the next transaction takes: at least one, within both limits. */
  private groupSize(): number {
    let weight = 0;
    let size = 0;
    while (size < this.queue.length && size < MAX_GROUP) {
      weight += this.queue[size].weight;
      if (size > 0 && weight > MAX_GROUP_WEIGHT) break;
      size += 1;
    }
    return size;
  }

  private async runAlone(unit: Unit): Promise<Outcome[]> {
    try {
      return [{ ok: true, value: await this.transaction(1, unit.work) }];
    } catch (error) {
      return [{ ok: false, error }];
    }
  }

  private runGroup(group: Unit[]): Promise<Outcome[]> {
    const connection = sqliteConnection(this.dataSource);
    return this.transaction(group.length, async (manager, buffer) => {
      const outcomes: Outcome[] = [];
      for (const unit of group) {
        await sql.run(manager, 'SAVEPOINT engage_unit');
        try {
          const value = await unit.work(manager);
          await sql.run(manager, 'RELEASE engage_unit');
          buffer.keepUnit();
          outcomes.push({ ok: true, value });
        } catch (error) {
          // A full disk or an I/O error ends the whole transaction, not just the unit: SQLite
          // has rolled it all back, and the next unit would run outside any transaction,
          // committing on its own. So the whole group fails (each caller gets its 503) and
          // nothing of it is stored.
          if (isStorageFailure(sqliteErrorCode(error)) || connection?.inTransaction === false) throw error;
          buffer.dropUnit();
          await sql.run(manager, 'ROLLBACK TO engage_unit');
          await sql.run(manager, 'RELEASE engage_unit');
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
  }
}
