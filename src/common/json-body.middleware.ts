import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { buildErrorBody } from './api-error';
import { requestIdOf } from './request-context';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

export interface JsonBodyRoute {
  /** Largest body accepted on this path, in bytes. */
  limitBytes: number;
  /**
   * Also parse `text/plain` bodies as JSON: navigator.sendBeacon sends text/plain, which needs
   * no CORS preflight.
   */
  acceptTextPlain?: boolean;
}

/**
 * Parses JSON bodies and answers parser failures in Engage's error shape: malformed JSON is a
 * 400 and an oversized body a 413, both before any handler runs, so nothing is changed. Paths
 * in `routes` get their own limit (the batch endpoint takes more than others).
 */
export function jsonBodyMiddleware(defaultLimitBytes: number, routes: Record<string, JsonBodyRoute> = {}) {
  const makeParser = (limit: number, textPlain: boolean) =>
    express.json({ limit, strict: true, type: textPlain ? ['application/json', 'application/*+json', 'text/plain'] : ['application/json', 'application/*+json'] });
  const fallback = { parse: makeParser(defaultLimitBytes, false), limitBytes: defaultLimitBytes };
  const byPath = new Map(
    Object.entries(routes).map(([path, route]) => [path.toLowerCase(), { parse: makeParser(route.limitBytes, route.acceptTextPlain ?? false), limitBytes: route.limitBytes }]),
  );
  return (req: Request, res: Response, next: NextFunction): void => {
    // Routes match as Express matches them: case-insensitively, with or without a trailing slash.
    const { parse, limitBytes } = byPath.get(req.path.toLowerCase().replace(/(.)\/+$/, '$1')) ?? fallback;
    parse(req, res, (error?: unknown) => {
      if (!error) {
        next();
        return;
      }
      const parserError = error as BodyParserError;
      const requestId = requestIdOf(req);
      if (parserError.type === 'entity.too.large') {
        res.status(413).json(buildErrorBody(413, `Request body is larger than ${limitBytes} bytes`, requestId));
      } else if (parserError.type === 'entity.parse.failed') {
        res.status(400).json(buildErrorBody(400, 'Request body is not valid JSON', requestId, 'malformed_json'));
      } else if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
        res.status(parserError.status).json(buildErrorBody(parserError.status, 'Request body could not be read', requestId));
      } else {
        next(error);
      }
    });
  };
}
