import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, PROJECT_ROOT } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

const run = promisify(execFile);
const ADMIN = 'egk_package_test_admin_key_0123456789';

/** The README's "Using the modules in your own Nest app" section. */
function readmeSection(): string {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Using the modules in your own Nest app');
  return readme.slice(start, readme.indexOf('\n## ', start + 10));
}

/** Its install command, and its code blocks that name their file on the first line. */
function readmeFiles(section: string): { install: string; files: Record<string, string> } {
  const install = /```bash\n(npm install [^\n]+)\n```/.exec(section)?.[1];
  if (!install) throw new Error('no npm install command in the README section');
  const files: Record<string, string> = {};
  for (const [, code] of section.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const file = /^\/\/ (src\/[\w./-]+\.ts)/.exec(code)?.[1];
    if (file) files[file] = code;
  }
  return { install, files };
}

/**
 * The "done when", run on every CI: `npm pack` the built package, install the tarball in a
 * new Nest app in a temp directory with the README's own install command, compile the README's
 * files with tsc, start the app, and check that Engage answers 401, 400 and 201 inside it while
 * the app's own route is untouched.
 */
describe('The package, installed in a new Nest app as the README says (e2e)', () => {
  const dir = makeTempDir('engage-package-');
  let app: ChildProcess | undefined;

  afterAll(async () => {
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await once(app, 'exit');
    }
    dir.remove();
  });

  it('installs, compiles the README snippet, boots, and is secure and validated without touching the host route', async () => {
    const { install, files } = readmeFiles(readmeSection());
    expect(Object.keys(files).sort()).toEqual(['src/app.module.ts', 'src/hello.controller.ts', 'src/main.ts']);

    await run('npm', ['pack', '--pack-destination', dir.path, '--silent'], { cwd: PROJECT_ROOT });
    const tarball = join(dir.path, readdirSync(dir.path).find((name) => name.endsWith('.tgz')) as string);

    const host = join(dir.path, 'host');
    mkdirSync(host);
    writeFileSync(
      join(host, 'package.json'),
      JSON.stringify({ name: 'host-app', version: '1.0.0', private: true, allowScripts: { 'better-sqlite3': true } }, null, 2),
    );
    // The README's command, with the package from the tarball instead of the registry.
    const args = install
      .split(/\s+/)
      .slice(2)
      .map((name) => (name === '@engage-oss/nest' ? tarball : name));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...args], {
      cwd: host,
      timeout: 300_000,
    });

    for (const [file, code] of Object.entries(files)) {
      mkdirSync(dirname(join(host, file)), { recursive: true });
      writeFileSync(join(host, file), code);
    }
    // The compiler options `nest new` gives a project (types from this project's @types/node).
    writeFileSync(
      join(host, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          resolvePackageJsonExports: true,
          esModuleInterop: true,
          isolatedModules: true,
          declaration: true,
          emitDecoratorMetadata: true,
          experimentalDecorators: true,
          allowSyntheticDefaultImports: true,
          target: 'ES2023',
          outDir: './dist',
          rootDir: './src',
          skipLibCheck: true,
          strictNullChecks: true,
          forceConsistentCasingInFileNames: true,
          noImplicitAny: false,
          types: ['node'],
          typeRoots: [join(PROJECT_ROOT, 'node_modules', '@types')],
        },
        include: ['src'],
      }),
    );
    await run(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', host], { cwd: host }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed on the README's snippet:\n${error.stdout ?? ''}`);
    });

    const port = await freePort();
    let output = '';
    app = spawn(process.execPath, [join(host, 'dist', 'main.js')], {
      cwd: host,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), ENGAGE_ADMIN_KEY: ADMIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (app.exitCode !== null) throw new Error(`the host app exited:\n${output}`);
      const up = await fetch(`${base}/hello`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`the host app did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const track = (body: object, key?: string) =>
      fetch(`${base}/api/activity/track`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
    const noKey = await track({ user_id: 'u1', activity_type: 'click' });
    expect([noKey.status, ((await noKey.json()) as { error: { code: string } }).error.code]).toEqual([401, 'unauthorized']);
    const invalid = await track({ user_id: 'u1', activity_type: 'click', priority: 'high' }, ADMIN);
    const invalidBody = (await invalid.json()) as { error: { code: string; details: Array<{ field: string }> } };
    expect([invalid.status, invalidBody.error.code, invalidBody.error.details.map((d) => d.field)]).toEqual([
      400,
      'validation_failed',
      ['priority'],
    ]);
    const stored = await track({ user_id: 'u1', activity_type: 'click' }, ADMIN);
    expect(stored.status).toBe(201);
    const analytics = await fetch(`${base}/api/analytics/user/u1`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(((await analytics.json()) as { analytics: { total_activities: number } }).analytics.total_activities).toBe(1);
    // The host's own route: no credential, its own answer.
    const hello = await fetch(`${base}/hello`);
    expect([hello.status, await hello.json()]).toEqual([200, { hello: 'world' }]);
  }, 420_000);
});
