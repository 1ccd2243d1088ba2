import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppLogger } from './common/app-logger';
import { jsonBodyMiddleware } from './common/json-body.middleware';
import { requestContextMiddleware } from './common/request-context.middleware';
import type { AppConfig } from './config/app.config';

/** Largest JSON body accepted, in bytes (the batch endpoint takes more). */
export const JSON_BODY_LIMIT = 100 * 1024;
export const BATCH_BODY_LIMIT = 512 * 1024;

/** Options for NestFactory.create; Engage parses bodies itself to answer parse errors in its own shape. */
export function nestApplicationOptions(logger: AppLogger): NestApplicationOptions & { bodyParser: false } {
  return { bodyParser: false, logger };
}

/** Everything the app needs beyond its modules; main.ts and the e2e tests both call it. */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: AppLogger): void {
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(requestContextMiddleware(logger));
  app.use(helmet());
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
    }),
  );
  app.enableShutdownHooks();
  setupSwagger(app);
}

function setupSwagger(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Engage')
      .setDescription('Activity tracking and user notifications.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A secret API key or a user token' }, 'bearer')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A secret API key' }, 'x-api-key')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('x-api-key')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
