import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Another process has held the database's write lock for longer than a request should wait
 * (a long migration, a backup, the CLI): 503 with Retry-After, nothing stored.
 */
export class DatabaseBusyException extends HttpException {
  constructor(readonly retryAfterSeconds = 1) {
    super(
      { code: 'database_busy', message: 'The database is locked by another process; retry after the Retry-After delay' },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
