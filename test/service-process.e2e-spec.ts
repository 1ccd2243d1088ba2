import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runServiceExpectingExit, ServiceProcess, startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

// These tests run the compiled service (`npm test` builds it first), exactly as `npm start` does.
describe('The built service process (e2e)', () => {
  const dir = makeTempDir('engage-proc-');
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService(dir.path);
  });

  afterAll(async () => {
    await service.stop();
    dir.remove();
  });

  let adminKey: string;

  it('starts with no configuration on embedded SQLite files, closed, printing a first admin key once', async () => {
    expect(existsSync(join(dir.path, 'user_activities.db'))).toBe(true);
    expect(existsSync(join(dir.path, 'notifications.db'))).toBe(true);
    expect(existsSync(join(dir.path, 'auth.db'))).toBe(true);
    const printed = service.output().match(/egk_[A-Za-z0-9_-]{20,}/g) ?? [];
    expect(printed).toHaveLength(1);
    adminKey = printed[0] ?? '';

    const body = JSON.stringify({ user_id: 'user123', activity_type: 'page_view', page_url: '/dashboard' });
    const headers = { 'Content-Type': 'application/json' };
    const closed = await fetch(`${service.baseUrl}/api/activity/track`, { method: 'POST', headers, body });
    expect(closed.status).toBe(401);
    const res = await fetch(`${service.baseUrl}/api/activity/track`, {
      method: 'POST',
      headers: { ...headers, Authorization: `Bearer ${adminKey}` },
      body,
    });
    expect(res.status).toBe(201);
  });

  it('writes JSON logs carrying the request id', async () => {
    const res = await fetch(`${service.baseUrl}/api/analytics/user/user123`, {
      headers: { 'X-Request-Id': 'log-check-1', 'X-API-Key': adminKey },
    });
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = service
      .output()
      .split('\n')
      .find((text) => text.includes('"log-check-1"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({
      message: 'request completed',
      request_id: 'log-check-1',
      method: 'GET',
      path: '/api/analytics/user/user123',
      status: 200,
    });
  });

  it('serves Swagger UI at /api/docs', async () => {
    const res = await fetch(`${service.baseUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger');
  });

  it('documents every endpoint with request and response schemas at /api/docs-json', async () => {
    const doc = (await (await fetch(`${service.baseUrl}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: unknown }> }>>;
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }> };
    };
    const expected: Array<[string, string]> = [
      ['/api/activity/track', 'post'],
      ['/api/session/start', 'post'],
      ['/api/session/end/{session_id}', 'post'],
      ['/api/analytics/user/{user_id}', 'get'],
      ['/api/notifications/send', 'post'],
      ['/api/notifications/preferences', 'post'],
      ['/api/notifications/preferences/{user_id}', 'get'],
      ['/api/notifications/preferences/{user_id}/{notification_type}/{channel}', 'get'],
      ['/api/notifications/user/{user_id}', 'get'],
      ['/api/notifications/read/{notification_id}', 'post'],
      ['/api/devices/register', 'post'],
      ['/api/notifications/templates', 'post'],
      ['/api/notifications/templates', 'get'],
      ['/api/notifications/templates/{name}', 'get'],
      ['/api/notifications/templates/{name}', 'put'],
      ['/api/notifications/templates/{name}', 'delete'],
      ['/api/health', 'get'],
    ];
    for (const [path, method] of expected) {
      const operation = doc.paths[path]?.[method];
      expect({ path, method, documented: operation !== undefined }).toEqual({ path, method, documented: true });
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      expect({ path, method, hasResponseSchema: Boolean(success?.[1].content) }).toEqual({ path, method, hasResponseSchema: true });
    }
    // The Swagger CLI plugin turns class-validator bounds and doc-comment examples into the schema.
    const track = doc.components.schemas.TrackActivityDto;
    // user_id or anonymous_id: neither alone is required.
    expect(track.required).toEqual(['activity_type']);
    expect(track.properties.user_id).toMatchObject({ type: 'string', minLength: 1, maxLength: 255, example: 'user123' });
    expect(doc.paths['/api/activity/track'].post.requestBody).toBeDefined();
    // The public health check says so; the rest inherit both security schemes.
    expect((doc.paths['/api/health'].get as { security?: unknown }).security).toEqual([]);
    expect((doc as unknown as { security: unknown }).security).toEqual([{ bearer: [] }, { 'x-api-key': [] }]);
    expect(doc.components.schemas.SendNotificationDto.properties.channel.enum).toEqual(
      expect.arrayContaining(['in_app', 'email', 'sms', 'push', 'slack', 'webhook']),
    );
  });
});

describe('Configuration validation at boot', () => {
  it('refuses to start with a message naming the bad variable', async () => {
    const dir = makeTempDir('engage-conf-');
    try {
      const result = await runServiceExpectingExit(dir.path, { PORT: 'eighty', LOG_LEVEL: 'loud' });
      expect(result.code).toBe(1);
      expect(result.output).toContain('Invalid configuration');
      // The variable and its rule, never its value: a value may be a secret.
      expect(result.output).toContain('PORT is invalid');
      expect(result.output).toContain('LOG_LEVEL is invalid');
      expect(result.output).not.toMatch(/eighty|loud/);
      expect(result.output).not.toMatch(/\n\s+at /); // no stack trace for a configuration mistake
    } finally {
      dir.remove();
    }
  });
});

describe('Migration CLI (typeorm through the shared data-source files)', () => {
  it('runs, shows and reverts the migrations of both databases', () => {
    const dir = makeTempDir('engage-cli-');
    const cli = join(PROJECT_ROOT, 'node_modules', 'typeorm', 'cli.js');
    const env = {
      ...process.env,
      ACTIVITY_DB_PATH: join(dir.path, 'a.db'),
      NOTIFICATIONS_DB_PATH: join(dir.path, 'n.db'),
      AUTH_DB_PATH: join(dir.path, 'auth.db'),
    };
    // CI=true makes the CLI colour its output; the lines are read as plain text.
    const typeorm = (...args: string[]) =>
      execFileSync(process.execPath, [cli, ...args], {
        cwd: PROJECT_ROOT,
        env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
        encoding: 'utf8',
        timeout: 30_000,
      })
        // eslint-disable-next-line no-control-regex
        .replace(/\u001b\[[0-9;]*m/g, '');
    try {
      const pending = (output: string) => output.split('\n').filter((line) => line.startsWith('[ ]')).length;
      const applied = (output: string) => output.split('\n').filter((line) => line.startsWith('[X]')).length;
      for (const file of ['activity/activity.data-source.js', 'notification/notification.data-source.js', 'auth/auth.data-source.js']) {
        const dataSource = join('dist', 'src', file);
        const before = typeorm('migration:show', '-d', dataSource);
        expect(applied(before)).toBe(0);
        const total = pending(before);
        expect(total).toBeGreaterThan(0);
        typeorm('migration:run', '-d', dataSource);
        const after = typeorm('migration:show', '-d', dataSource);
        expect({ file, applied: applied(after), pending: pending(after) }).toEqual({ file, applied: total, pending: 0 });
        typeorm('migration:revert', '-d', dataSource);
        expect(pending(typeorm('migration:show', '-d', dataSource))).toBe(1);
      }
    } finally {
      dir.remove();
    }
  });
});

describe('AUTH_DISABLED', () => {
  it('opens every route without credentials and warns at boot', async () => {
    const dir = makeTempDir('engage-open-');
    const service = await startService(dir.path, { AUTH_DISABLED: 'true' });
    try {
      const res = await fetch(`${service.baseUrl}/api/notifications/templates`);
      expect(res.status).toBe(200);
      expect(service.output()).toMatch(/"level":"warn".*AUTH_DISABLED=true: every route is open/);
      // The first admin key is still created, so turning auth back on later stays closed.
      expect(service.output()).toMatch(/egk_/);
    } finally {
      await service.stop();
      dir.remove();
    }
  });
});

describe('The log of an internal error', () => {
  it('is one JSON line with the request id of the 500 and the stack', async () => {
    const dir = makeTempDir('engage-500-');
    const service = await startService(dir.path, { AUTH_DISABLED: 'true' });
    try {
      // Another connection breaks the schema under the running service.
      const db = new Database(join(dir.path, 'user_activities.db'));
      db.exec('DROP TABLE user_analytics');
      db.close();
      const res = await fetch(`${service.baseUrl}/api/activity/track`, {
        method: 'POST',
        // A browser's user agent: events of bots skip the analytics that the broken table holds.
        headers: {
          'Content-Type': 'application/json',
          'X-Request-Id': 'broken-1',
          'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36',
        },
        body: JSON.stringify({ user_id: 'u1', activity_type: 'page_view' }),
      });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { request_id: string } }).error.request_id).toBe('broken-1');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const lines = service
        .output()
        .split('\n')
        .filter((text) => text.includes('"broken-1"'))
        .map((text) => JSON.parse(text) as Record<string, unknown>);
      const error = lines.find((line) => line.level === 'error');
      expect(error).toMatchObject({ message: 'POST /api/activity/track failed', request_id: 'broken-1', context: 'ExceptionFilter' });
      expect(error?.stack).toMatch(/no such table: user_analytics[\s\S]*\n\s+at /);
      expect(lines.find((line) => line.message === 'request completed')).toMatchObject({ status: 500, request_id: 'broken-1' });
    } finally {
      await service.stop();
      dir.remove();
    }
  });
});
