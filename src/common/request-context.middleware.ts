import { pathOf } from './http/url-path';
import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { setRequestId } from './request-context';

// A caller's id is echoed only when it is a plain token; anything else could forge log lines.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * First middleware of every request: takes the caller's X-Request-Id or makes one, returns it
 * in the response header and on the request (for error bodies and log lines), and writes one
 * access-log line.
 */
export function requestContextMiddleware(logger: LoggerService, onFinished?: (request: Request, status: number, seconds: number) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      onFinished?.(req, res.statusCode, durationMs / 1000);
      logger.log(
        'request completed',
        {
          request_id: requestId,
          method: req.method,
          path: pathOf(req.originalUrl),
          status: res.statusCode,
          duration_ms: Math.round(durationMs * 100) / 100,
        },
        'HTTP',
      );
    });
    setRequestId(req, requestId);
    next();
  };
}
