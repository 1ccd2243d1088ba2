/**
 * SQLite's result code on an error, whether better-sqlite3 threw it directly (`code`) or TypeORM
 * wrapped it in a QueryFailedError (`driverError.code`); undefined for anything else.
 */
export function sqliteErrorCode(error: unknown): string | undefined {
  const failure = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = failure?.code ?? failure?.driverError?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Whether the code says the storage under the database failed rather than the statement: the disk
 * (or the file's size limit) is full, an I/O error, or the file cannot be opened or written. These
 * are not bugs and not the client's doing, and they pass once space or the device comes back.
 */
export function isStorageFailure(code: string | undefined): code is string {
  if (code === undefined) return false;
  return (
    code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')
  );
}

/**
 * Whether another connection holds the lock: SQLITE_BUSY, or an extended form of it such as
 * SQLITE_BUSY_RECOVERY (another process recovering the WAL after a crash) or SQLITE_BUSY_SNAPSHOT.
 */
export function isBusy(code: string | undefined): boolean {
  return code?.startsWith('SQLITE_BUSY') ?? false;
}
