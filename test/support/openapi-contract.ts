import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Written by test/support/openapi-global-setup.ts from the built service before any test runs;
 * outside dist/, which every build empties.
 */
export const OPENAPI_FILE = join(__dirname, '..', '..', 'node_modules', '.cache', 'engage', 'openapi.json');

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: Json;
  [key: string]: unknown;
}

/**
 * Paths that still answer but are left out of the document (see NotificationController):
 * their answers are held to the contract of the path that replaced them.
 */
const LEGACY_PATHS: Record<string, string> = {
  '/api/notifications/{notification_id}/deliveries': '/api/notifications/deliveries/{notification_id}',
  '/api/notifications/{notification_id}/retry': '/api/notifications/retry/{notification_id}',
};

/** Answers that are not part of the JSON API: the docs themselves, the browser assets (/tracker.js) and the demo page. */
const OUTSIDE_THE_CONTRACT = [/^\/api\/docs(?:-json|\/.*)?$/, /^\/(?:tracker\.m?js|demo\.(?:js|css)|demo\/(?:session|notify))?$/];

const ROOT = join(__dirname, '..', '..');

/** The newest modification time of the TypeScript files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The document of the build, refusing one older than the sources: the app under test runs from
 * src/, and a contract from an older build would test the wrong thing.
 */
export function readOpenApiDocument(): OpenApiDocument {
  const build = join(ROOT, 'dist', 'src', 'openapi.js');
  if (!existsSync(OPENAPI_FILE) || !existsSync(build)) {
    throw new Error(`${OPENAPI_FILE} is missing: the test setup writes it from the build (run \`npx nest build\` first; npm test does)`);
  }
  if (newestSource(join(ROOT, 'src')) > statSync(build).mtimeMs) {
    throw new Error(
      'dist/ is older than src/: run `npx nest build` (npm test does) so the OpenAPI contract is the one of the code under test',
    );
  }
  return JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;
}

/**
 * OpenAPI 3.0 says `nullable: true` beside a type or an allOf; JSON Schema (and Ajv, for a
 * `$ref` or allOf) needs the null spelled out. Also points `#/components/…` at the whole
 * document registered in Ajv as `openapi`.
 */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value as Json)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith('#/')) out[key] = `openapi${child}`;
    else if (key === 'example' || key === 'examples') out[key] = child;
    else out[key] = toJsonSchema(child);
  }
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  operation: Operation;
}

/** One answer held against the document: what is wrong with it, if anything. */
export interface ContractAnswer {
  method: string;
  path: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

/**
 * The OpenAPI document as a test oracle: every answer must have a documented status for its
 * operation, and a JSON body that its schema accepts. An unknown path or method must be the
 * 404 in the error shape.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: Route[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly errorValidator: ValidateFunction;

  constructor(readonly document: OpenApiDocument = readOpenApiDocument()) {
    addFormats(this.ajv);
    this.ajv.addSchema(toJsonSchema({ components: document.components }) as Json, 'openapi');
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
        this.routes.push({ method, template, operation, ...compileTemplate(template) });
      }
    }
    for (const [legacy, current] of Object.entries(LEGACY_PATHS)) {
      for (const route of this.routes.filter((candidate) => candidate.template === current)) {
        this.routes.push({ ...route, template: legacy, ...compileTemplate(legacy) });
      }
    }
    // The most literal template first: Express tries literal routes before parameter routes here.
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments);
    this.errorValidator = this.ajv.compile({ $ref: 'openapi#/components/schemas/ErrorResponseDto' });
  }

  /** The operation a request reaches, if the document has one. */
  routeOf(method: string, path: string): Route | undefined {
    return this.routes.find((route) => route.method === method.toLowerCase() && route.pattern.test(path));
  }

  /** Problems with one answer; empty when it keeps the contract. */
  check(answer: ContractAnswer): string[] {
    const path = answer.path.split('?')[0] ?? answer.path;
    const method = answer.method.toUpperCase();
    if (method === 'HEAD' || method === 'OPTIONS') return [];
    if (OUTSIDE_THE_CONTRACT.some((pattern) => pattern.test(path))) return [];
    // Node's own answer to a request that did not arrive in time: no route, no JSON.
    if (answer.status === 408) return [];
    const route = this.routeOf(method, path);
    const json = answer.contentType?.includes('json') ?? false;
    if (!route) {
      if (answer.status !== 404) return [`${method} ${path} is not in the document but answered ${answer.status}`];
      return json ? this.validate(this.errorValidator, answer.body, `${method} ${path} 404`) : [`${method} ${path} 404 is not JSON`];
    }
    const documented = route.operation.responses[String(answer.status)] ?? route.operation.responses.default;
    const where = `${method} ${route.template} ${answer.status}`;
    if (!documented) return [`${where}: status not documented (documented: ${Object.keys(route.operation.responses).join(', ')})`];
    const content = documented.content;
    if (!content) return answer.body.length > 0 ? [`${where}: a body where none is documented`] : [];
    const mediaType = answer.contentType?.split(';')[0]?.trim() ?? '';
    const media = content[mediaType] ?? (json ? content['application/json'] : undefined);
    if (!media) return [`${where}: content type ${mediaType || '(none)'} not documented (documented: ${Object.keys(content).join(', ')})`];
    if (!json || !media.schema) return [];
    const key = `${route.method} ${route.template} ${answer.status} ${mediaType}`;
    let validator = this.validators.get(key);
    if (!validator) {
      validator = this.ajv.compile(toJsonSchema(media.schema) as Json);
      this.validators.set(key, validator);
    }
    return this.validate(validator, answer.body, where);
  }

  private validate(validator: ValidateFunction, body: string, where: string): string[] {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${where}: body is not JSON: ${body.slice(0, 200)}`];
    }
    if (validator(value)) return [];
    const problems = (validator.errors ?? [])
      .slice(0, 5)
      .map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
    return [`${where}: body does not match the schema: ${problems.join('; ')} — body: ${body.slice(0, 300)}`];
  }
}

function compileTemplate(template: string): { pattern: RegExp; literalSegments: number } {
  const segments = template.split('/').filter(Boolean);
  const source = segments
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // Express matches paths case-insensitively, as the service is configured.
  return { pattern: new RegExp(`^/${source}/?$`, 'i'), literalSegments: segments.filter((segment) => !segment.startsWith('{')).length };
}
