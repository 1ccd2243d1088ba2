import { readOpenApiDocument } from './support/openapi-contract';
import { createTestApp, TEST_ADMIN_KEY, type TestApp } from './support/test-app';

/**
 * Swagger UI's Try it out, done by a test: every operation of the built document is sent with
 * its documented example body and its parameters' examples, as a user would on a fresh service,
 * and must get a documented success. Creations run first (POST, PUT), then reads, then
 * deletions, each in document order. Where Try it out needs a value only the service knows (the
 * id of a session or a notification just created, a publishable key), the test pastes the one
 * the earlier example returned, as a user would.
 */

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: Json;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
}

const document = readOpenApiDocument();
const PHASES = ['post', 'put', 'get', 'delete'];
const calls = PHASES.flatMap((phase) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method === phase)
      .map(([method, operation]) => ({ method, path, operation: operation as unknown as Operation })),
  ),
);

/**
 * An example that cannot succeed on its own, and the documented answer it gets instead: the
 * notification the send example created was delivered in-app, and only a failed one is sent
 * again.
 */
const EXPECTED_OTHERWISE: Record<string, number> = { 'post /api/notifications/retry/{notification_id}': 409 };

describe('Every documented example, sent as Swagger UI sends it (e2e)', () => {
  let t: TestApp;
  const captured: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ env: { DELIVERY_WORKER: 'false' } });
    captured.writeKey = t.trackKey;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('has an example for every request body and every required parameter', () => {
    const missing: string[] = [];
    for (const { method, path, operation } of calls) {
      if (operation.requestBody && operation.requestBody.content?.['application/json']?.example === undefined) missing.push(`${method} ${path} body`);
      for (const parameter of operation.parameters ?? []) {
        const example = parameter.example ?? parameter.schema?.example;
        if (parameter.required && example === undefined && !(parameter.name in { writeKey: 1 })) missing.push(`${method} ${path} ${parameter.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(calls.map((call) => [`${call.method.toUpperCase()} ${call.path}`, call] as const))('%s', async (_name, { method, path, operation }) => {
    const parameters = operation.parameters ?? [];
    const url = path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
      const parameter = parameters.find((candidate) => candidate.name === name);
      return encodeURIComponent(captured[name] ?? String(parameter?.example ?? parameter?.schema?.example));
    });
    const query = Object.fromEntries(
      parameters.filter((p) => p.in === 'query' && (p.example ?? p.schema?.example) !== undefined).map((p) => [p.name, String(p.example ?? p.schema?.example)]),
    );
    let request = (t.anon as unknown as Record<string, (url: string) => ReturnType<typeof t.anon.get>>)[method](url)
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .query(query);
    const body = operation.requestBody?.content?.['application/json']?.example;
    if (body !== undefined) request = request.send(body as object);
    const res = await request;

    const expected = EXPECTED_OTHERWISE[`${method} ${path}`];
    if (expected) expect(res.status).toBe(expected);
    else {
      const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      expect({ status: String(res.status), body: res.body as unknown }).toEqual({ status: expect.stringMatching(new RegExp(`^(${success.join('|')})$`)), body: expect.anything() });
    }
    // What later examples need, as a user would copy it from this answer.
    const { session_id: sessionId, notification_id: notificationId } = res.body as { session_id?: string; notification_id?: string };
    if (sessionId) captured.session_id = sessionId;
    if (notificationId) captured.notification_id = notificationId;
    expect(t.contractViolations).toEqual([]);
  });
});
