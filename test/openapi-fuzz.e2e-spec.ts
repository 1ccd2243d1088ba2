import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import type { Test as Request } from 'supertest';
import { answersWithEventStream, firstEventThenClose } from './support/event-stream';
import { readOpenApiDocument } from './support/openapi-contract';
import { SchemaArbitraries } from './support/schema-arbitrary';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from './support/test-app';

/**
 * A schema-driven fuzz test: every operation of the built service's OpenAPI document, driven
 * with bodies, path and query parameters generated from its own schemas, a share of them hostile
 * (nulls, wrong types, deep nesting, huge numbers, lone surrogates, NUL in keys, far dates,
 * unknown fields) and some with no, a wrong or a weaker credential. Each answer must be a
 * documented status with a body its schema accepts (the test app's contract recorder), never a
 * 5xx, within 1 s; the service must be healthy afterwards.
 *
 * Bounded: FUZZ_RUNS cases an operation (default 25) from a fixed FUZZ_SEED, so CI sees the same
 * cases each run; set either to explore further (a failure prints its seed and the shrunk case).
 * An operation that answers with an event stream (which never ends by itself) is read up to its
 * first event, then closed, as a client that has seen enough closes it: its status and media type
 * are held to the document all the same.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const MAX_ANSWER_MS = 1000;

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Json;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
}

const document = readOpenApiDocument();
const arbitraries = new SchemaArbitraries((document.components?.schemas ?? {}) as Record<string, Json>);
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => ['get', 'post', 'put', 'delete', 'patch'].includes(method))
    .map(([method, operation]) => ({ path, method, operation: operation as unknown as Operation })),
);

type Credential = 'admin' | 'none' | 'garbage' | 'track';
const credential: fc.Arbitrary<Credential> = fc.oneof(
  { arbitrary: fc.constant<Credential>('admin'), weight: 17 },
  { arbitrary: fc.constantFrom<Credential>('none', 'garbage', 'track'), weight: 3 },
);

function pathValue(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A lone surrogate cannot be percent-encoded as UTF-8; a client would send its replacement.
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')) || '%20';
}

/**
 * Query values as a client can send them: nested objects go as `a[b]=c` (which the server's
 * query parser turns back into objects), but deep or bulky ones as their JSON text, cut to fit a
 * URL (the client library cannot serialise 3,000 levels, and Node answers 431 to huge URLs).
 */
function queryOf(query: Json): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => {
      const text = JSON.stringify(value) ?? '';
      return [name, value !== null && typeof value === 'object' && text.length > 200 ? text.slice(0, 1000) : value];
    }),
  );
}

describe('Fuzzing every operation of the OpenAPI document (fast-check)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No delivery worker (nothing leaves the process), and no rate limit or block after bad
    // credentials to cut the run short: the cases with a garbage key would otherwise get this
    // address answered 429 for a minute, and the rest of the run would test nothing else.
    t = await createTestApp({ env: { DELIVERY_WORKER: 'false', RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '100000' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(40);
  });

  it.each(operations.map((entry) => [`${entry.method.toUpperCase()} ${entry.path}`, entry] as const))(
    '%s: documented answers only, never a 5xx, each within 1 s',
    async (_name, { path, method, operation }) => {
      const parameters = operation.parameters ?? [];
      const pathParams = fc.record(
        Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, arbitraries.forSchema(p.schema, p.name)])),
      );
      const queryParams = fc.record(
        Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, arbitraries.forSchema(p.schema, p.name)])),
        { requiredKeys: [] },
      );
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const body = bodySchema ? arbitraries.forSchema(bodySchema) : fc.constant(undefined);

      await fc.assert(
        fc.asyncProperty(pathParams, queryParams, body, credential, async (params, query, payload, who) => {
          const url = path.replace(/\{([^}]+)\}/g, (_match, name: string) => pathValue(params[name]));
          let request: Request = (t.anon as unknown as Record<string, (url: string) => Request>)[method](url);
          if (who === 'admin') request = request.set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
          if (who === 'garbage') request = request.set('Authorization', 'Bearer egk_not_a_real_key_0000000000000000');
          if (who === 'track') request = request.set('Authorization', `Bearer ${t.trackKey}`);
          if (Object.keys(query).length > 0) request = request.query(queryOf(query as Json));
          if (payload !== undefined) request = request.set('Content-Type', 'application/json').send(JSON.stringify(payload));
          if (answersWithEventStream(operation)) request = request.buffer(true).parse(firstEventThenClose);
          const started = performance.now();
          const res = await request;
          const elapsed = performance.now() - started;
          const broken = t.contractViolations.splice(0);
          if (broken.length > 0) throw new Error(`contract broken: ${broken.join('\n')}`);
          if (res.status >= 500) throw new Error(`${res.status} for ${method.toUpperCase()} ${url}: ${res.text.slice(0, 300)}`);
          if (elapsed > MAX_ANSWER_MS) throw new Error(`${Math.round(elapsed)} ms for ${method.toUpperCase()} ${url}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: false },
      );
    },
  );

  it('leaves the service healthy and working', async () => {
    await t.anon.get('/api/health').expect(200);
    const res = await t.http.post('/api/activity/track').send({ user_id: 'after-fuzz', activity_type: 'page_view' });
    expect([200, 201]).toContain(res.status);
    const analytics = await t.http.get('/api/analytics/user/after-fuzz').expect(200);
    expect(analytics.body.analytics.total_activities).toBe(1);
  });
});
