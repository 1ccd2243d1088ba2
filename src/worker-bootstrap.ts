import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AppLogger } from './common/app-logger';
import { readAppConfig } from './config/app.config';
import { readDeliveryConfig } from './config/delivery.config';
import { InvalidEnvironmentError } from './config/env.validation';
import { heapLimitMb } from './heap-cap';

/**
 * `npm run worker`: a delivery-only process (no HTTP) taking jobs from BullMQ. Start as many as
 * the load needs; they need REDIS_URL and the same databases as the service.
 */
async function bootstrap(): Promise<void> {
  const config = readAppConfig();
  const logger = new AppLogger({ level: config.logLevel, format: config.logFormat });
  if (!readDeliveryConfig().redis) {
    process.stderr.write('npm run worker needs REDIS_URL: without Redis the service delivers in its own process.\n');
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(AppModule, { logger });
  // After a graceful shutdown, exit 0 rather than re-raise the signal: Nest's re-raise raced the
  // emptied event loop (exit 0 one run, killed by SIGTERM the next), and 'exit' flushes the log.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.init();
  new Logger('Worker').log(`Engage delivery worker started (V8 heap limit ${heapLimitMb()} MB)`);
}

/** Starts the delivery worker in this process; exits 1 with the reason when it cannot. */
export function startWorker(): void {
  bootstrap().catch((error: unknown) => {
    process.stderr.write(
      error instanceof InvalidEnvironmentError
        ? `${error.message}\n`
        : `Engage worker failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
