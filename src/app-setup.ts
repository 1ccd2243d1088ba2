import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { createOpenApiDocument } from './common/http/openapi-document';
import helmet from 'helmet';
import type { Server } from 'node:http';
import type { Request } from 'express';
import { MetricsService } from './metrics/metrics.service';
import { SEGMENT_PATHS } from './activity/segment/segment-mapping';
import { AppLogger } from './common/app-logger';
import { jsonBodyMiddleware } from './common/json-body.middleware';
import type { JsonBodyRoute } from './common/json-body.middleware';
import cors from 'cors';
import { requestContextMiddleware } from './common/request-context.middleware';
import { browserAssetsMiddleware } from './common/http/browser-assets.middleware';
import type { AppConfig } from './config/app.config';

/** Largest JSON body accepted, in bytes (the batch endpoint takes more). */
export const JSON_BODY_LIMIT = 100 * 1024;
export const BATCH_BODY_LIMIT = 512 * 1024;
/** Segment's limits: 32 KB a message, 500 KB a batch (after gzip is undone). */
export const SEGMENT_MESSAGE_LIMIT = 32 * 1024;
export const SEGMENT_BATCH_LIMIT = 500 * 1024;

/** The body limit of each Segment path; analytics.js posts text/plain to skip the CORS preflight. */
function segmentBodyRoutes(): Record<string, JsonBodyRoute> {
  const routes: Record<string, JsonBodyRoute> = {};
  for (const [call, paths] of Object.entries(SEGMENT_PATHS)) {
    const limitBytes = call === 'batch' ? SEGMENT_BATCH_LIMIT : SEGMENT_MESSAGE_LIMIT;
    for (const path of paths) routes[`/v1/${path}`] = { limitBytes, acceptTextPlain: true };
  }
  return routes;
}

/** Options for NestFactory.create; Engage parses bodies itself to answer parse errors in its own shape. */
export function nestApplicationOptions(logger: AppLogger): NestApplicationOptions & { bodyParser: false } {
  return { bodyParser: false, logger };
}

/** Everything the app needs beyond its modules; main.ts and the e2e tests both call it. */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: AppLogger): void {
  applyServerTimeouts(app.getHttpServer() as Server, config.timeouts);
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // No ETags on API answers: a browser revalidating a GET got 304s the API does not document
  // (seen from the demo page in Chromium), for data that changes under it anyway. The browser
  // assets set their own.
  app.set('etag', false);
  app.use(requestContextMiddleware(logger, httpMetricsRecorder(app)));
  app.use(helmet());
  app.use(browserAssetsMiddleware(config.demoPage !== 'off'));
  // A write key is public by design: Segment's API answers every origin, and analytics.js on any
  // site must reach it. No cookies are read, so an open origin grants nothing a key does not.
  app.use(
    '/v1',
    cors({
      origin: '*',
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'X-Retry-Count'],
      maxAge: 600,
    }),
  );
  // The same for Engage's own tracking calls from pages on any site (the browser tracker): they
  // carry a publishable key, and no cookies. Other routes keep the CORS allow-list below.
  app.use(
    ['/api/activity/track', '/api/activity/batch', '/api/activity/identify'],
    // The origin reflected (not `*`), as the allow-list answers its origins: the same to a browser.
    cors({
      origin: true,
      methods: ['POST'],
      allowedHeaders: ['Content-Type', 'X-API-Key'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  if (config.corsOrigins === true || config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    });
  }
  app.use(
    jsonBodyMiddleware(JSON_BODY_LIMIT, {
      '/api/activity/track': { limitBytes: JSON_BODY_LIMIT, acceptTextPlain: true },
      '/api/activity/batch': { limitBytes: BATCH_BODY_LIMIT, acceptTextPlain: true },
      '/api/activity/identify': { limitBytes: JSON_BODY_LIMIT, acceptTextPlain: true },
      ...segmentBodyRoutes(),
    }),
  );
  // After a graceful shutdown, exit 0 rather than re-raise the signal: Nest's re-raise raced the
  // emptied event loop (exit 0 one run, killed by SIGTERM the next), and 'exit' flushes the log.
  app.enableShutdownHooks([], { useProcessExit: true });
  setupSwagger(app);
}

function setupSwagger(app: NestExpressApplication): void {
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * A client that trickles its request (a byte a second) holds a connection and a parser for as
 * long as it likes unless the server sets a bound: headers within headersMs, the whole request
 * within requestMs (Node answers 408), idle keep-alive connections closed after keepAliveMs.
 */
export function applyServerTimeouts(server: Server, timeouts: AppConfig['timeouts']): void {
  server.headersTimeout = Math.min(timeouts.headersMs, timeouts.requestMs);
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
}

/**
 * Records each answered request in the Prometheus metrics, labelled by its route template
 * (`/api/notifications/:notification_id/deliveries`, never the ids themselves), when the app has
 * the MetricsModule.
 */
function httpMetricsRecorder(app: NestExpressApplication): ((request: Request, status: number, seconds: number) => void) | undefined {
  let metrics: MetricsService;
  try {
    metrics = app.get(MetricsService, { strict: false });
  } catch {
    return undefined;
  }
  return (request, status, seconds) => {
    const route = request.route?.path ? `${request.baseUrl ?? ''}${String(request.route.path)}` : 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(status) });
    metrics.httpDuration.observe({ route, method: request.method }, seconds);
  };
}
