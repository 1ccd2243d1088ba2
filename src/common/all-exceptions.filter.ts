import { pathOf } from './http/url-path';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { ApiErrorBody, buildErrorBody, defaultErrorCode } from './api-error';
import { DatabaseBusyException } from './database-busy.exception';
import { OverloadedException } from './overloaded.exception';
import { requestIdOf } from './request-context';
import { isStorageFailure, sqliteErrorCode } from './sqlite-error-code';
import { StorageUnavailableException } from './storage-unavailable.exception';

interface ExceptionPayload {
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

/**
 * Turns every error into Engage's one error shape. Client mistakes keep their 4xx and say
 * what was wrong; anything unexpected becomes a 500 that reveals nothing but the request id,
 * while the full error goes to the log.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(thrown: unknown, host: ArgumentsHost): void {
    // A full or failing disk is no bug: whatever path met it (the transaction runner answers
    // its own), the client gets a 503 it can retry, not a 500.
    const storageCode = sqliteErrorCode(thrown);
    const exception =
      isStorageFailure(storageCode) && !(thrown instanceof HttpException)
        ? new StorageUnavailableException(undefined, storageCode)
        : thrown;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const requestId = requestIdOf(request);
    const { status, body } = this.toErrorResponse(exception, requestId);

    // The request id as a field of the line, so the log entry of a 500 is found from its answer.
    const fields = { request_id: requestId };
    if (status === HttpStatus.INTERNAL_SERVER_ERROR) {
      // (message, fields, stack): the stack stays Nest's own stack field, printed as a trace in text format.
      // Duck-typed: an error made in another realm (a native addon's, a test VM's) fails instanceof Error.
      const stack = (exception as { stack?: unknown } | null)?.stack;
      this.logger.error(
        `${request.method} ${pathOf(request.originalUrl)} failed`,
        fields,
        typeof stack === 'string' ? stack : String(exception),
      );
    } else if (exception instanceof StorageUnavailableException && exception.database !== undefined) {
      // The transaction runner logged the failure once for its whole burst, with the reason.
      this.logger.debug(`${request.method} ${pathOf(request.originalUrl)} answered ${status}: ${body.error.message}`, fields);
    } else if (exception instanceof StorageUnavailableException) {
      this.logger.warn(`${request.method} ${pathOf(request.originalUrl)} answered ${status}: ${exception.sqliteCode}`, fields);
    } else if (status >= 500) {
      this.logger.warn(`${request.method} ${pathOf(request.originalUrl)} answered ${status}: ${body.error.message}`, fields);
    } else {
      this.logger.debug(`${request.method} ${pathOf(request.originalUrl)} answered ${status}: ${body.error.message}`, fields);
    }
    if (response.headersSent) return;
    if (
      exception instanceof OverloadedException ||
      exception instanceof DatabaseBusyException ||
      exception instanceof StorageUnavailableException
    )
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(status).json(body);
  }

  private toErrorResponse(exception: unknown, requestId: string | undefined): { status: number; body: ApiErrorBody } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'string') {
        return { status, body: buildErrorBody(status, payload, requestId) };
      }
      const { code, message, details } = payload as ExceptionPayload;
      const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
      return {
        status,
        body: buildErrorBody(
          status,
          status === HttpStatus.INTERNAL_SERVER_ERROR ? 'Internal server error' : text,
          requestId,
          typeof code === 'string' ? code : defaultErrorCode(status),
          details as ApiErrorBody['error']['details'],
        ),
      };
    }
    // A unique-constraint race that a service did not foresee is still the client's conflict.
    if (exception instanceof QueryFailedError && /UNIQUE constraint|duplicate key/i.test(exception.message)) {
      const status = HttpStatus.CONFLICT;
      return { status, body: buildErrorBody(status, 'The resource already exists', requestId) };
    }
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return { status, body: buildErrorBody(status, 'Internal server error', requestId) };
  }
}
