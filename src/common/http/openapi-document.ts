import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { REQUEST_EXAMPLES } from './openapi-examples';

type Json = Record<string, unknown>;
interface Operation {
  security?: unknown[] | null;
  parameters?: Json[];
  requestBody?: { content?: Record<string, Json> };
  responses: Record<string, Json>;
}

const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorResponseDto' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Seconds to wait, sent with every 429 and 503. */
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};

/**
 * The errors any operation may answer beyond its own, in the one error shape. They come from
 * layers every route shares: the body parser (400 malformed or too deep, 413), the validation
 * pipe (400), the auth guard (401 no or bad credential, 403 a credential of the wrong kind or
 * another user's token, 429 after repeated bad credentials), the rate limiter (429) and the
 * database (503 `database_busy`, `storage_unavailable`, `overloaded`).
 */
function sharedErrors(operation: Operation): Record<string, string> {
  const secured = operation.security === undefined || operation.security === null || operation.security.length > 0;
  const errors: Record<string, string> = { '503': 'Busy, overloaded or out of storage; try again after Retry-After' };
  if (operation.requestBody || (operation.parameters?.length ?? 0) > 0) errors['400'] = 'Invalid input; details name each bad field';
  if (operation.requestBody) errors['413'] = 'Request body too large';
  if (secured) {
    errors['401'] = 'No credential, or one that is unknown, expired or revoked';
    errors['403'] = 'The credential may not do this (wrong key kind, or another user’s data)';
    errors['429'] = 'Rate limit reached; try again after Retry-After';
  }
  return errors;
}

/** The document Engage serves at /api/docs-json and `npm run openapi` writes. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Engage')
    .setDescription('Activity tracking and user notifications.')
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: Swagger UI's Try it out calls the server that served the document.
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A secret API key or a user token' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A secret API key' }, 'x-api-key')
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'Segment-style: an API key as the user name, empty password' }, 'write-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('x-api-key')
    .build();
  return finalizeOpenApiDocument(SwaggerModule.createDocument(app, config));
}

/**
 * What the generated document leaves out or gets wrong, put right in one place:
 * - the shared error responses above, on every operation that can give them;
 * - `additionalProperties: false` on every DTO schema, because the validation pipe refuses
 *   unknown fields (free-form maps such as `properties` are inline `type: object`, left open);
 * - a whole working example body for each operation that takes one (REQUEST_EXAMPLES);
 * - `date-time` for the `…_at` strings of response schemas: Engage writes them as full ISO
 *   timestamps (requests take any ISO 8601 date, so theirs stay plain strings).
 */
export function finalizeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (pathItem as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      for (const [status, description] of Object.entries(sharedErrors(operation))) {
        operation.responses[status] ??= { description, content: { 'application/json': { schema: ERROR_SCHEMA } } };
      }
      for (const status of ['429', '503']) {
        const response = operation.responses[status];
        if (response) response.headers = { ...RETRY_AFTER, ...(response.headers as Json | undefined) };
      }
    }
  }
  for (const [key, example] of Object.entries(REQUEST_EXAMPLES)) {
    const [method, path] = key.split(' ') as [string, string];
    const media = (document.paths[path] as Record<string, Operation | undefined> | undefined)?.[method.toLowerCase()]?.requestBody
      ?.content?.['application/json'];
    if (!media) throw new Error(`REQUEST_EXAMPLES names ${key}, which the document has no JSON body for`);
    media.example = example;
  }
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  for (const schema of Object.values(schemas)) {
    if (schema.type === 'object' || schema.properties) {
      schema.type = 'object';
      if (schema.additionalProperties === undefined) schema.additionalProperties = false;
    }
  }
  const inRequests = schemasReachedFrom(
    Object.values(document.paths).flatMap((item) =>
      METHODS.map((method) => (item as Record<string, Operation | undefined>)[method]?.requestBody),
    ),
    schemas,
  );
  for (const [name, schema] of Object.entries(schemas)) {
    if (inRequests.has(name)) continue;
    for (const [field, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      if (field.endsWith('_at') && property.type === 'string' && property.format === undefined) property.format = 'date-time';
    }
  }
  return document;
}

/** The names of the component schemas that `roots` refer to, directly or through others. */
function schemasReachedFrom(roots: unknown[], schemas: Record<string, Json>): Set<string> {
  const reached = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      const ref = (node as Json).$ref;
      if (typeof ref === 'string') {
        const name = ref.split('/').pop() ?? '';
        if (!reached.has(name)) {
          reached.add(name);
          stack.push(schemas[name]);
        }
      }
      stack.push(...Object.values(node as Json));
    }
  }
  return reached;
}
