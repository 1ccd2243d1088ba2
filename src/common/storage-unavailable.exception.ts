import { HttpException, HttpStatus } from '@nestjs/common';

/** How long a client should wait after a storage failure: space or a device does not come back in a second. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

/**
 * The disk under a database is full or failing (SQLITE_FULL, SQLITE_IOERR…): 503 with Retry-After,
 * nothing of the request stored. The response names neither the file nor SQLite's message.
 */
export class StorageUnavailableException extends HttpException {
  readonly retryAfterSeconds = STORAGE_RETRY_AFTER_SECONDS;

  constructor(
    /** Which database failed ('activity', 'notification', 'auth'), when known. */
    readonly database: string | undefined,
    /** SQLite's result code, for logs and metrics. */
    readonly sqliteCode: string,
  ) {
    super(
      {
        code: 'storage_unavailable',
        message: `${sqliteCode === 'SQLITE_FULL' ? 'Storage is full' : 'Storage is failing'}: the request was not completed; retry after the Retry-After delay (an event_id or Idempotency-Key makes the retry safe)`,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
