import type { NextFunction, Request, Response } from 'express';
import { OpenApiContract } from './openapi-contract';

/** Bodies beyond this are cut (and so not validated): the contract is about shapes, not bulk. */
const MAX_CAPTURE_BYTES = 4 * 1024 * 1024;

let shared: OpenApiContract | undefined;

/**
 * Express middleware for test apps: records every answer the app gives and holds it to the
 * OpenAPI document, so every e2e test that goes through createTestApp also tests the contract.
 * Problems collect in `violations`; the test app's close() fails the suite with them.
 */
export function contractRecorder(violations: string[]): (req: Request, res: Response, next: NextFunction) => void {
  const contract = (shared ??= new OpenApiContract());
  return (req, res, next) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    const isEventStream = () => String(res.getHeader('content-type') ?? '').includes('text/event-stream');
    const capture = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || truncated || isEventStream()) return;
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      size += buffer.length;
      if (size > MAX_CAPTURE_BYTES) truncated = true;
      else chunks.push(buffer);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      capture(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      capture(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response['end'];
    let recorded = false;
    const record = () => {
      if (recorded || truncated) return;
      recorded = true;
      const contentType = res.getHeader('content-type');
      const problems = contract.check({
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        contentType: contentType === undefined ? undefined : String(contentType),
        // An event stream is held to its documented status and media type; its body is events, not one JSON document.
        body: isEventStream() ? '' : Buffer.concat(chunks).toString('utf8'),
      });
      violations.push(...problems);
    };
    res.on('finish', record);
    // An event stream usually ends by its client leaving, which closes the response without 'finish'.
    res.on('close', () => {
      if (res.headersSent && isEventStream()) record();
    });
    next();
  };
}
