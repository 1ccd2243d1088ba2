import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from './app.module';
import { createOpenApiDocument } from './common/http/openapi-document';

/**
 * Writes the OpenAPI document without starting the service: `npm run openapi [-- file]`
 * (stdout without a file). Preview mode reads the routes and DTOs but creates no provider, so
 * nothing connects to a database. For client generators, linters and the contract tests.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { preview: true, logger: false });
  const text = `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`;
  const file = process.argv[2];
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not write the OpenAPI document: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
