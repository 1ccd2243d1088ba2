import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp, nestApplicationOptions } from './app-setup';
import { AppLogger } from './common/app-logger';
import { EngageExpressAdapter } from './common/http/engage-express.adapter';
import { readAppConfig } from './config/app.config';
import { InvalidEnvironmentError } from './config/env.validation';
import { heapLimitMb } from './heap-cap';

async function bootstrap(): Promise<void> {
  const config = readAppConfig();
  const logger = new AppLogger({ level: config.logLevel, format: config.logFormat });
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new EngageExpressAdapter(), nestApplicationOptions(logger));
  configureApp(app, config, logger);
  await app.listen(config.port, config.host);
  logger.log(`Engage listening on http://${config.host}:${config.port} (docs at /api/docs)`, 'Bootstrap');
  logger.log(`V8 heap limit ${heapLimitMb()} MB (MAX_HEAP_MB caps the old space)`, 'Bootstrap');
}

/** Starts the HTTP service in this process; exits 1 with the reason when it cannot. */
export function startService(): void {
  bootstrap().catch((error: unknown) => {
    if (error instanceof InvalidEnvironmentError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Engage failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  });
}
