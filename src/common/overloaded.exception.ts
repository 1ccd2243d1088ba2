import { HttpException, HttpStatus } from '@nestjs/common';

/** The server has more work queued than it should take on: 429 with Retry-After, nothing stored. */
export class OverloadedException extends HttpException {
  constructor(readonly retryAfterSeconds = 1) {
    super({ code: 'overloaded', message: 'The server is busy; retry after the Retry-After delay' }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
