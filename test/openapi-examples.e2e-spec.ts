import { answersWithEventStream, firstEventThenClose } from './support/event-stream';
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
      if (operation.requestBody && operation.requestBody.content?.['application/json']?.example === undefined)
        missing.push(`${method} ${path} body`);
      for (const parameter of operation.parameters ?? []) {
        const example = parameter.example ?? parameter.schema?.example;
        if (parameter.required && example === undefined && !(parameter.name in { writeKey: 1 }))
          missing.push(`${method} ${path} ${parameter.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(calls.map((call) => [`${call.method.toUpperCase()} ${call.path}`, call] as const))(
    '%s',
    async (_name, { method, path, operation }) => {
      const parameters = operation.parameters ?? [];
      const url = path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
        const parameter = parameters.find((candidate) => candidate.name === name);
        return encodeURIComponent(captured[name] ?? String(parameter?.example ?? parameter?.schema?.example));
      });
      const query = Object.fromEntries(
        parameters
          .filter((p) => p.in === 'query' && (p.example ?? p.schema?.example) !== undefined)
          .map((p) => [p.name, String(p.example ?? p.schema?.example)]),
      );
      let request = (t.anon as unknown as Record<string, (url: string) => ReturnType<typeof t.anon.get>>)
        [method](url)
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .query(query);
      const body = operation.requestBody?.content?.['application/json']?.example;
      if (body !== undefined) request = request.send(body as object);
      // An event stream never ends: its first event is the answer, then the connection is closed.
      if (answersWithEventStream(operation)) request = request.buffer(true).parse(firstEventThenClose);
      const res = await request;

      const expected = EXPECTED_OTHERWISE[`${method} ${path}`];
      if (expected) expect(res.status).toBe(expected);
      else {
        const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
        expect({ status: String(res.status), body: res.body as unknown }).toEqual({
          status: expect.stringMatching(new RegExp(`^(${success.join('|')})$`)),
          body: expect.anything(),
        });
      }
      // What later examples need, as a user would copy it from this answer.
      const { session_id: sessionId, notification_id: notificationId } = res.body as { session_id?: string; notification_id?: string };
      if (sessionId) captured.session_id = sessionId;
      if (notificationId) captured.notification_id = notificationId;
      expect(t.contractViolations).toEqual([]);
    },
  );

  /**
   * The schema and the validation pipe agree, field by field: each top-level field of each
   * example body set to null is refused (400 naming it) where the schema says it is not
   * nullable, and answered as if left out where it is; an integer field given 1.5 is refused
   * naming it.
   */
  it('documents null and integer exactly as the service takes them', async () => {
    const disagreements: string[] = [];
    for (const { method, path, operation } of calls) {
      const example = operation.requestBody?.content?.['application/json']?.example as Json | undefined;
      const schema = resolve((operation.requestBody?.content?.['application/json'] as { schema?: Json } | undefined)?.schema);
      if (!example || !schema?.properties || path.includes('{')) continue;
      for (const [field, raw] of Object.entries(schema.properties as Record<string, Json>)) {
        const property = resolve(raw);
        const probes: Array<[unknown, boolean]> = [[null, raw.nullable === true || property.nullable === true]];
        if (property.type === 'integer') probes.push([1.5, false]);
        const send = (body: Json) =>
          (t.anon as unknown as Record<string, (url: string) => ReturnType<typeof t.anon.get>>)
            [method](path)
            .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
            .send(body);
        for (const [value, accepted] of probes) {
          const res = await send({ ...example, [field]: value });
          const summary = `${res.status} ${JSON.stringify(res.body).slice(0, 160)}`;
          const named = res.status === 400 && JSON.stringify(res.body.error?.details ?? []).includes(`"field":"${field}`);
          if (!accepted && !named)
            disagreements.push(`${method} ${path} ${field}=${JSON.stringify(value)}: documented refused, answered ${summary}`);
          if (accepted) {
            // Nullable means "null is the field's absence" (or "clear it"): answered as without it.
            const { [field]: _left, ...without } = example;
            const absent = await send(without);
            if (absent.status !== res.status)
              disagreements.push(
                `${method} ${path} ${field}=null: documented nullable, answered ${summary}, but ${absent.status} without the field`,
              );
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});

/** A schema with its $ref (or single allOf) followed to the component. */
function resolve(schema: Json | undefined): Json {
  if (!schema) return {};
  const ref = (schema.$ref ?? (schema.allOf as Json[] | undefined)?.[0]?.$ref) as string | undefined;
  if (!ref) return schema;
  const components = (document.components as { schemas: Record<string, Json> }).schemas;
  return { ...resolve(components[ref.split('/').pop() ?? '']), nullable: schema.nullable };
}
