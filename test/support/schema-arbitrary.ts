import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';

type Schema = Record<string, unknown>;

/**
 * Values a hostile client sends in place of any field: nulls, wrong types, broken Unicode, NUL
 * in values and keys, huge and odd numbers, far dates, deep nesting, very long strings.
 */
export const hostileValue: Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    '',
    ' ',
    '\uD800',
    'a\uDC00b',
    'nul\u0000here',
    '𝌆'.repeat(3),
    'x'.repeat(20_000),
    '__proto__',
    'constructor',
    '%00',
    '../..',
  ),
  fc.constantFrom(0, -1, -0, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, Number.MIN_VALUE),
  fc.constantFrom(true, false),
  fc.constantFrom(
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '0000-01-01',
    '1969-12-31T23:59:59Z',
    '2026-02-30',
    '2026-13-01T00:00:00Z',
    'yesterday',
  ),
  fc.constant({ ['k\u0000ey']: 1 }),
  fc.constant({ ['\uD800']: 'lone surrogate key' }),
  // Parsed, not written as a literal: a literal's __proto__ sets the prototype and is never sent.
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown),
  fc.integer({ min: 20, max: 3000 }).map((depth) => nest(depth)),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { minLength: 1000, maxLength: 1000 }),
);

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { n: value };
  return value;
}

/**
 * URLs that never leave this machine: loopback literals, which the service's default outbound
 * policy refuses before opening a socket. A fuzzer must not make the service call the internet.
 */
const LOOPBACK_URL = fc.constantFrom('https://127.0.0.1:9/hook', 'http://127.0.0.1:9/', 'https://[::1]:9/x', 'https://localhost:9/');

/** Generates values for a JSON schema of the document, sometimes valid, sometimes hostile. */
export class SchemaArbitraries {
  constructor(
    private readonly components: Record<string, Schema>,
    /** Chance that any one value is replaced by a hostile one. */
    private readonly hostileRatio = 0.15,
  ) {}

  forSchema(schema: Schema | undefined, name = '', depth = 0): Arbitrary<unknown> {
    const valid = this.valid(schema ?? {}, name, depth);
    const weight = Math.round(this.hostileRatio * 100);
    return fc.oneof({ arbitrary: valid, weight: 100 - weight }, { arbitrary: hostileValue, weight });
  }

  private resolve(schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref === 'string') return this.resolve(this.components[ref.split('/').pop() ?? ''] ?? {});
    const allOf = schema.allOf as Schema[] | undefined;
    if (allOf?.length === 1 && allOf[0]) return { ...this.resolve(allOf[0]), ...schema, allOf: undefined };
    return schema;
  }

  private valid(raw: Schema, name: string, depth: number): Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
    if (variants?.length) return fc.oneof(...variants.map((variant) => this.valid(variant, name, depth)));
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
    const base = this.byType(schema, name, depth);
    return schema.nullable === true ? fc.oneof(base, fc.constant(null)) : base;
  }

  private byType(schema: Schema, name: string, depth: number): Arbitrary<unknown> {
    switch (schema.type) {
      case 'string':
        return this.string(schema, name);
      case 'integer':
        return fc.integer({ min: numberOr(schema.minimum, -1000), max: numberOr(schema.maximum, 100_000) });
      case 'number':
        return fc.double({ min: numberOr(schema.minimum, -1e6), max: numberOr(schema.maximum, 1e6), noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const maxLength = Math.min(numberOr(schema.maxItems, 4), 4);
        return fc.array(this.forSchema(schema.items as Schema | undefined, name, depth + 1), {
          minLength: Math.min(numberOr(schema.minItems, 0), maxLength),
          maxLength,
        });
      }
      default:
        return this.object(schema, depth);
    }
  }

  private string(schema: Schema, name: string): Arbitrary<unknown> {
    if (schema.format === 'date-time' || /(^|_)(at|from|to|date|timestamp)$/.test(name)) {
      return fc
        .date({ min: new Date('1960-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
        .map((date) => date.toISOString());
    }
    if (schema.format === 'uri' || /url$/i.test(name)) return LOOPBACK_URL;
    if (schema.format === 'email' || /email$/.test(name))
      return fc.constantFrom('ada@example.com', 'not-an-email', 'a@b', '"q"@example.com');
    if (/phone$/.test(name)) return fc.constantFrom('+447700900123', '07700 900123', '+1');
    const maxLength = Math.min(numberOr(schema.maxLength, 40), 60);
    const minLength = Math.min(numberOr(schema.minLength, 0), maxLength);
    return fc.string({ minLength, maxLength, unit: fc.constantFrom('a', 'b', 'Z', '0', '_', '-', '.', ' ', 'é', '中', '/', '%') });
  }

  private object(schema: Schema, depth: number): Arbitrary<unknown> {
    const properties = schema.properties as Record<string, Schema> | undefined;
    if (!properties || depth > 4) {
      // A free-form map (properties, data, traits): small JSON of any shape.
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    }
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const record: Record<string, Arbitrary<unknown>> = {};
    for (const [key, child] of Object.entries(properties)) record[key] = this.forSchema(child, key, depth + 1);
    const known = fc.record(record, { requiredKeys: [...required].filter((key) => key in record) });
    // Now and then a field the schema does not have, which the API must refuse.
    return fc
      .tuple(known, fc.option(fc.constantFrom('unknown_field', 'is_admin', '$where'), { freq: 8 }))
      .map(([value, extra]) => (extra ? { ...(value as object), [extra]: 1 } : value));
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
