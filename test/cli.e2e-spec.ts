import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { activityMigrations } from '../migrations/activity';
import { authMigrations } from '../migrations/auth';
import { notificationMigrations } from '../migrations/notification';
import { PROJECT_ROOT } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

const execFileAsync = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<Outcome> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { ...options, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as Partial<Outcome> & { code?: number };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** engage-migrate's report: the lines under each `<database>: <file>` heading. */
function byDatabase(stdout: string): Record<string, string[]> {
  const report: Record<string, string[]> = {};
  let current: string[] = [];
  for (const line of stdout.split('\n')) {
    const heading = /^(activity|notification|auth): /.exec(line);
    if (heading) report[heading[1] as string] = current = [];
    else if (line !== '') current.push(line);
  }
  return report;
}

const NAMES = {
  activity: activityMigrations.map((Migration) => new Migration().name as string),
  notification: notificationMigrations.map((Migration) => new Migration().name as string),
  auth: authMigrations.map((Migration) => new Migration().name as string),
};

const PACKAGE = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };

// A host's release step: the package's bins linked into node_modules/.bin as npm links them, run
// from the host's directory with its .env and nothing of this repository's tooling.
describe('engage-migrate and engage-apikey from a host’s node_modules/.bin (e2e)', () => {
  const host = makeTempDir('engage-host-');
  const bin = join(host.path, 'node_modules', '.bin');
  const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
  const migrate = (...args: string[]) => run(join(bin, 'engage-migrate'), args, { cwd: host.path, env });
  const apikey = (...args: string[]) => run(join(bin, 'engage-apikey'), args, { cwd: host.path, env });

  beforeAll(() => {
    for (const target of Object.values(PACKAGE.bin)) {
      if (!existsSync(join(PROJECT_ROOT, target))) throw new Error(`${target} is missing: run \`npm run build\` first`);
    }
    mkdirSync(bin, { recursive: true });
    for (const [name, target] of Object.entries(PACKAGE.bin)) {
      // npm install makes a bin executable; build.mjs does too, a bare `nest build` does not.
      chmodSync(join(PROJECT_ROOT, target), 0o755);
      symlinkSync(join(PROJECT_ROOT, target), join(bin, name));
    }
    // Relative paths, as a host writes them: the databases land under the host's working directory.
    writeFileSync(
      join(host.path, '.env'),
      'ACTIVITY_DB_PATH=data/activity.db\nNOTIFICATIONS_DB_PATH=data/notifications.db\nAUTH_DB_PATH=data/auth.db\n',
    );
  });

  afterAll(() => host.remove());

  it('ships both bins', () => {
    expect(Object.keys(PACKAGE.bin).sort()).toEqual(['engage-apikey', 'engage-migrate']);
  });

  it('shows every migration pending, runs them all, then has nothing left to run', async () => {
    const before = await migrate('show');
    expect(before.code).toBe(0);
    expect(byDatabase(before.stdout)).toEqual({
      activity: NAMES.activity.map((name) => `[ ] ${name}`),
      notification: NAMES.notification.map((name) => `[ ] ${name}`),
      auth: NAMES.auth.map((name) => `[ ] ${name}`),
    });
    expect(before.stdout).toContain(`activity: ${join(host.path, 'data', 'activity.db')}`);

    const applied = await migrate('run');
    expect(applied.code).toBe(0);
    expect(byDatabase(applied.stdout)).toEqual({
      activity: NAMES.activity.map((name) => `applied ${name}`),
      notification: NAMES.notification.map((name) => `applied ${name}`),
      auth: NAMES.auth.map((name) => `applied ${name}`),
    });
    const db = new Database(join(host.path, 'data', 'notifications.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT name FROM notification_migrations ORDER BY timestamp').pluck().all()).toEqual(NAMES.notification);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'notifications'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }

    const after = await migrate('show');
    expect(byDatabase(after.stdout)).toEqual({
      activity: NAMES.activity.map((name) => `[X] ${name}`),
      notification: NAMES.notification.map((name) => `[X] ${name}`),
      auth: NAMES.auth.map((name) => `[X] ${name}`),
    });
    expect(byDatabase((await migrate('run')).stdout)).toEqual({
      activity: ['up to date'],
      notification: ['up to date'],
      auth: ['up to date'],
    });
  });

  it('reverts the last migration of the one database named, and runs it again', async () => {
    const last = NAMES.notification.at(-1) as string;
    const reverted = await migrate('revert', '--database', 'notification');
    expect(reverted).toMatchObject({ code: 0, stdout: `notification: ${join(host.path, 'data', 'notifications.db')}\nreverted ${last}\n` });
    expect(byDatabase((await migrate('show', '--database', 'notification')).stdout).notification?.at(-1)).toBe(`[ ] ${last}`);
    expect(byDatabase((await migrate('show', '--database', 'activity')).stdout).activity?.every((line) => line.startsWith('[X] '))).toBe(
      true,
    );
    expect(byDatabase((await migrate('run', '--database', 'notification')).stdout)).toEqual({ notification: [`applied ${last}`] });
  });

  it('creates, lists and revokes API keys in the auth database the .env names', async () => {
    const created = await apikey('create', '--name', 'release-bot', '--scope', 'track');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /Created track key "release-bot" \(id [0-9a-f-]{36}\)\. It is shown only now:\negk_[A-Za-z0-9_-]{20,}\n/,
    );
    expect((await apikey('list')).stdout).toMatch(/ release-bot {2}track {2}.* active\n/);
    expect((await apikey('revoke', 'release-bot')).stdout).toMatch(/^Revoked "release-bot"/);
    const db = new Database(join(host.path, 'data', 'auth.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT revoked_at IS NOT NULL FROM api_keys WHERE name = 'release-bot'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('answers a wrong command or database with the usage and exit code 2, touching nothing', async () => {
    for (const args of [[], ['migrate'], ['run', 'now'], ['run', '--database', 'analytics'], ['show', '--verbose']]) {
      const outcome = await migrate(...args);
      expect({ args, code: outcome.code, stdout: outcome.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(outcome.stderr).toContain('Usage: engage-migrate <run|revert|show> [--database activity|notification|auth|all]');
    }
    expect((await apikey('rotate')).code).toBe(2);
  });

  it('fails in one line that names the problem, with no stack trace', async () => {
    const broken = makeTempDir('engage-broken-');
    try {
      writeFileSync(join(broken.path, 'activity.db'), 'this is not a database file, but a text file long enough to have a header');
      const notDatabase = await run(join(bin, 'engage-migrate'), ['run', '--database', 'activity'], {
        cwd: broken.path,
        env: { ...env, ACTIVITY_DB_PATH: join(broken.path, 'activity.db') },
      });
      expect(notDatabase.code).toBe(1);
      expect(notDatabase.stderr).toMatch(/^engage-migrate failed: .*not a database\n$/);

      const badEnv = await run(join(bin, 'engage-migrate'), ['show'], {
        cwd: broken.path,
        env: { ...env, SESSION_TIMEOUT_MINUTES: 'soon' },
      });
      expect(badEnv.code).toBe(1);
      expect(badEnv.stderr).toMatch(/^engage-migrate failed: Invalid configuration: SESSION_TIMEOUT_MINUTES is invalid/);
      expect(badEnv.stderr).not.toContain('soon');
      expect(badEnv.stderr).not.toMatch(/\n\s+at /);
    } finally {
      broken.remove();
    }
  });
});

// The scripts of this repository run the built files, and build only when an input has changed.
describe('npm run apikey and npm run migration:* with dist/ up to date (e2e)', () => {
  const dir = makeTempDir('engage-npm-cli-');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir.path,
    ACTIVITY_DB_PATH: join(dir.path, 'a.db'),
    NOTIFICATIONS_DB_PATH: join(dir.path, 'n.db'),
    AUTH_DB_PATH: join(dir.path, 'auth.db'),
  };
  const npm = (...args: string[]) => run('npm', ['run', '--silent', ...args], { cwd: PROJECT_ROOT, env });
  const marker = join(PROJECT_ROOT, 'dist', `.cli-test-marker-${process.pid}`);

  beforeAll(async () => {
    const check = await run(process.execPath, [join(PROJECT_ROOT, 'build.mjs'), '--check'], { cwd: PROJECT_ROOT, env });
    // Building here would swap dist/ under the other test files that run from it.
    if (check.code !== 0) throw new Error(`${check.stderr.trim()} (this test asserts that an up-to-date dist/ is not rebuilt)`);
  });

  afterAll(() => {
    rmSync(marker, { force: true });
    dir.remove();
  });

  it('runs the built CLIs without rebuilding: dist/ and a file left in it survive every call', async () => {
    writeFileSync(marker, 'left by the test');
    const inode = statSync(join(PROJECT_ROOT, 'dist')).ino;

    const shown = await npm('migration:show');
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(byDatabase(shown.stdout).auth).toEqual(NAMES.auth.map((name) => `[ ] ${name}`));
    expect(await npm('migration:run:auth')).toMatchObject({ code: 0, stderr: '' });
    expect(await npm('migration:revert:auth')).toMatchObject({ code: 0, stdout: expect.stringContaining(`reverted ${NAMES.auth.at(-1)}`) });
    const created = await npm('apikey', '--', 'create', '--name', 'ops');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/Created admin key "ops"/);
    expect((await npm('apikey', '--', 'list')).stdout).toMatch(/ ops {2}admin /);

    expect(existsSync(marker)).toBe(true);
    expect(statSync(join(PROJECT_ROOT, 'dist')).ino).toBe(inode);
  });
});
