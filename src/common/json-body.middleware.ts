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
    express.json({
      limit,
      strict: true,
      type: textPlain ? ['application/json', 'application/*+json', 'text/plain'] : ['application/json', 'application/*+json'],
    });
  const fallback = { parse: makeParser(defaultLimitBytes, false), limitBytes: defaultLimitBytes };
  const byPath = new Map(
    Object.entries(routes).map(([path, route]) => [
      path.toLowerCase(),
      { parse: makeParser(route.limitBytes, route.acceptTextPlain ?? false), limitBytes: route.limitBytes },
    ]),
  );
  return (req: Request, res: Response, next: NextFunction): void => {
    // Routes match as Express matches them: case-insensitively, with or without a trailing slash.
    const { parse, limitBytes } = byPath.get(req.path.toLowerCase().replace(/(.)\/+$/, '$1')) ?? fallback;
    parse(req, res, (error?: unknown) => {
      if (!error) {
        if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
          res
            .status(400)
            .json(buildErrorBody(400, `Request body nests deeper than ${MAX_JSON_DEPTH} levels`, requestIdOf(req), 'too_deep'));
          return;
        }
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

/**
 * How deep a JSON body may nest. No Engage field needs more than a few levels; thousands of them
 * overflow the stack of any recursive walk (validation, transformation, serialisation) as a 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `limit` arrays and objects, found without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(item)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
