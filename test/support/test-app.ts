import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { configureApp, nestApplicationOptions } from '../../src/app-setup';
import { AppLogger } from '../../src/common/app-logger';
import { EngageExpressAdapter } from '../../src/common/http/engage-express.adapter';
import { Clock } from '../../src/common/clock';
import { readAppConfig } from '../../src/config/app.config';
import { contractRecorder } from './contract-recorder';
import { FakeClock } from './fake-clock';
import { makeTempDir } from './temp-dir';

/** User-Agents real clients send, for tests that must look like them. */
export const USER_AGENTS = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  curl: 'curl/8.5.0',
  // What Node's global fetch (undici) sends.
  node: 'node',
  axios: 'axios/1.7.2',
  pythonRequests: 'python-requests/2.32.3',
  go: 'Go-http-client/1.1',
  okhttp: 'okhttp/4.12.0',
  java: 'Java/17.0.10',
  postman: 'PostmanRuntime/7.39.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
} as const;

/**
 * The outbound policy denies every internal address and plain http by default; suites whose
 * stand-in providers listen on 127.0.0.1 allow exactly that, as a self-hoster allows an internal
 * receiver. The policy's own suite proves the default denies.
 */
export const LOCAL_PEERS_ALLOWED = { OUTBOUND_ALLOW: '127.0.0.1/32', OUTBOUND_ALLOW_HTTP: 'true' } as const;

/** The admin key every test app accepts (seeded through API_KEYS). */
export const TEST_ADMIN_KEY = 'egk_test_admin_key_0123456789abcdef';

export interface TestApp {
  app: NestExpressApplication;
  /** Requests carrying the admin key. */
  http: ReturnType<typeof request.agent>;
  /** Requests with no credential at all. */
  anon: ReturnType<typeof request>;
  /**
   * Requests as a browser makes them: a publishable (track) key and a desktop Chrome User-Agent
   * (set another per request). Only such browser-facing credentials make the request's own
   * User-Agent and address the end user's.
   */
  site: ReturnType<typeof request.agent>;
  /** The publishable (track) key `site` uses. */
  trackKey: string;
  /** The fake clock (not used by the app when realClock was asked for). */
  clock: FakeClock;
  dir: string;
  /**
   * Answers that broke the OpenAPI contract so far (undocumented status, body not matching its
   * schema). close() fails with them; a test may also assert on them directly.
   */
  contractViolations: string[];
  close(): Promise<void>;
}

/**
 * The real Engage app (global pipe, filter, middleware, migrations) on fresh SQLite files in
 * a temp directory, with a controllable clock.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; clock?: FakeClock; realClock?: boolean; dir?: string } = {},
): Promise<TestApp> {
  const dir = options.dir ? { path: options.dir, remove: () => undefined } : makeTempDir();
  const clock = options.clock ?? new FakeClock();
  // A test's own settings last as long as its app, so they cannot leak into the next test.
  const overridden = Object.keys(options.env ?? {});
  const previous = Object.fromEntries(overridden.map((key) => [key, process.env[key]]));
  const restoreEnv = () => {
    for (const key of overridden) {
      if (previous[key] === undefined) delete process.env[key];
      else process.env[key] = previous[key];
    }
  };
  Object.assign(process.env, {
    ACTIVITY_DB_PATH: join(dir.path, 'user_activities.db'),
    NOTIFICATIONS_DB_PATH: join(dir.path, 'notifications.db'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    TRUST_PROXY: 'false',
    AUTH_DB_PATH: join(dir.path, 'auth.db'),
    API_KEYS: TEST_ADMIN_KEY,
    ...options.env,
  });
  try {
    const app = await startTestApp(dir, clock, options.realClock ?? false);
    return {
      ...app,
      close: async () => {
        try {
          await app.close();
        } finally {
          restoreEnv();
        }
      },
    };
  } catch (error) {
    dir.remove();
    restoreEnv();
    throw error;
  }
}

async function startTestApp(dir: { path: string; remove(): void }, clock: FakeClock, realClock: boolean): Promise<TestApp> {
  const config = readAppConfig();
  const logger = new AppLogger({ level: config.logLevel, format: config.logFormat });
  // Delivery tests run on real time: their retries wait real backoff delays.
  const builder = Test.createTestingModule({ imports: [AppModule] });
  const moduleRef = await (realClock ? builder : builder.overrideProvider(Clock).useValue(clock)).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new EngageExpressAdapter(), nestApplicationOptions(logger));
  // First, so it sees every answer, including those of the body parser and the auth guard.
  const contractViolations: string[] = [];
  app.use(contractRecorder(contractViolations));
  configureApp(app, config, logger);
  await app.init();
  const trackKey = (await app.get(ApiKeyService).create('test-site', 'track')).key;
  return {
    app,
    http: request.agent(app.getHttpServer()).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`),
    anon: request(app.getHttpServer()),
    site: request.agent(app.getHttpServer()).set('Authorization', `Bearer ${trackKey}`).set('User-Agent', USER_AGENTS.chrome),
    trackKey,
    clock,
    dir: dir.path,
    contractViolations,
    close: async () => {
      await app.close();
      dir.remove();
      if (contractViolations.length > 0) {
        const unique = [...new Set(contractViolations)];
        throw new Error(
          `${unique.length} answer(s) broke the OpenAPI contract (the built service's document):\n${unique.slice(0, 30).join('\n')}`,
        );
      }
    },
  };
}
