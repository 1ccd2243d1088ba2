import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OPENAPI_FILE } from './openapi-contract';

/**
 * Jest global setup: writes the OpenAPI document of the built service (dist/, which `npm test`
 * builds first) to OPENAPI_FILE. The Swagger plugin that reads DTO types and comments runs
 * only in the Nest build, so the document must come from there, not from the test transpiler.
 */
export default function writeOpenApiDocument(): void {
  const cli = join(__dirname, '..', '..', 'dist', 'src', 'openapi.js');
  if (!existsSync(cli)) {
    // Unit tests need no build; e2e tests then fail with the reason (readOpenApiDocument).
    rmSync(OPENAPI_FILE, { force: true });
    return;
  }
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  execFileSync(process.execPath, [cli, OPENAPI_FILE], { stdio: 'inherit' });
}
