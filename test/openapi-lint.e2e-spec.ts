import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OPENAPI_FILE, readOpenApiDocument } from './support/openapi-contract';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> }>;
}

/** The built service's document, linted by Redocly's CLI with its recommended rules. */
describe('OpenAPI document (Redocly lint)', () => {
  it('passes `redocly lint` with the recommended rules: no errors, no warnings', async () => {
    readOpenApiDocument(); // a clear message when the build is missing
    const result = await run(
      join(ROOT, 'node_modules', '.bin', 'redocly'),
      ['lint', OPENAPI_FILE, '--config', join(ROOT, 'test', 'redocly', 'redocly.yaml'), '--format=json'],
      { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    ).catch((error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', code: error.code }));
    const report = JSON.parse(result.stdout) as LintReport;
    const problems = report.problems
      .filter((problem) => !('ignored' in problem && problem.ignored))
      .map((problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('lists no ambiguous paths, has a server, and names each operation once', () => {
    const document = readOpenApiDocument() as unknown as {
      servers?: Array<{ url: string }>;
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(document.servers?.[0]?.url).toBe('/');
    const ids = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    // The literal routes beside /api/notifications/{…}: each is its own first segment.
    expect(Object.keys(document.paths).filter((path) => /^\/api\/notifications\/\{[^}]+\}/.test(path))).toEqual([]);
  });
});
