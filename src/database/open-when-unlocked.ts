import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { isBusy, sqliteErrorCode } from '../common/sqlite-error-code';
import { BUSY_SLICE_MS } from './engine/transaction-runner';

/** How often a boot that waits for another process's lock says it is still waiting. */
const STILL_WAITING_EVERY_MS = 30_000;

/**
 * Opens a data source (running its migrations) once no other process holds the file's write lock.
 *
 * Boot used to take SQLite's 5 s busy timeout and then exit: a backup, the migration CLI or a
 * second Engage holding `notifications.db` a little longer made the service crash-loop. Here boot
 * waits as long as it takes, saying so in the log, and goes on when the lock is released. (A
 * migration that still meets the lock, taken again in between, waits again rather than failing.)
 */
export async function openWhenUnlocked(options: DataSourceOptions, logger = new Logger('Database')): Promise<DataSource> {
  const file =
    options.type === 'better-sqlite3' && typeof options.database === 'string' && options.database !== ':memory:'
      ? options.database
      : undefined;
  for (;;) {
    if (file) await waitForWriteLock(file, logger);
    try {
      return await new DataSource(options).initialize();
    } catch (error) {
      // initialize() has closed the data source; anything but the lock is a real failure.
      if (!file || !isBusy(sqliteErrorCode(error))) throw error;
    }
  }
}

/** Resolves once the write lock of `file` can be taken (and is released again at once). */
async function waitForWriteLock(file: string, logger: Logger): Promise<void> {
  if (!existsSync(file)) return;
  const probe = new Database(file, { timeout: BUSY_SLICE_MS, fileMustExist: true });
  const started = Date.now();
  let toldAt = 0;
  try {
    for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
        if (toldAt > 0) logger.log(`${basename(file)} was released after ${((Date.now() - started) / 1000).toFixed(1)} s; continuing`);
        return;
      } catch (error) {
        if (!isBusy(sqliteErrorCode(error))) throw error;
      }
      if (toldAt === 0) logger.warn(`${basename(file)} is locked by another process; waiting…`);
      else if (Date.now() - toldAt >= STILL_WAITING_EVERY_MS)
        logger.warn(`${basename(file)} is still locked by another process, after ${Math.round((Date.now() - started) / 1000)} s; waiting…`);
      if (toldAt === 0 || Date.now() - toldAt >= STILL_WAITING_EVERY_MS) toldAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  } finally {
    probe.close();
  }
}
