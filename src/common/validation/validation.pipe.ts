import { ArgumentMetadata, BadRequestException, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiErrorDetail } from '../api-error';
import { nullableFields } from './nullable.decorator';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../json-body.middleware';

/**
 * Flattens class-validator's tree into one entry per bad field, with dotted paths for nesting and
 * brackets for an array's items (`cells[3].channel`, as findBadStrings names them).
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ApiErrorDetail[] {
  const details: ApiErrorDetail[] = [];
  for (const error of errors) {
    const field = !parent ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    if (error.constraints) {
      details.push({ field, messages: Object.values(error.constraints) });
    }
    if (error.children?.length) {
      details.push(...flattenValidationErrors(error.children, field));
    }
  }
  return details;
}

/** A UTF-16 surrogate without its pair: not a character, and validators and encoders throw on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Keys that name JavaScript's object machinery: class-transformer throws on a nested
 * `constructor` (a 500 before this check), and `__proto__` is the classic prototype-pollution
 * vector. No field of Engage's has these names, so they are refused wherever they appear.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** What is wrong with one string or key, if anything: NUL characters or broken UTF-16. */
function badText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone surrogate)';
  return null;
}

/**
 * The strings and keys in `value` that no field may hold: NUL characters (PostgreSQL cannot store
 * them; they truncate text in C libraries), lone surrogates (validators throw on them) and the
 * reserved keys above. Up to
 * `limit` of them, each named by its dotted path. Iterative, so any depth is safe to walk.
 */
export function findBadStrings(value: unknown, limit = 20): ApiErrorDetail[] {
  const found: ApiErrorDetail[] = [];
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0 && found.length < limit) {
    const [item, path] = stack.pop() as [unknown, string];
    if (typeof item === 'string') {
      const problem = badText(item);
      if (problem) found.push({ field: path || 'value', messages: [`${path || 'value'} ${problem}`] });
    } else if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index--) stack.push([item[index], `${path}[${index}]`]);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item).reverse()) {
        const keyPath = path ? `${path}.${key}` : key;
        const problem = RESERVED_KEYS.has(key) ? 'is reserved in JavaScript and not allowed' : badText(key);
        if (problem) found.push({ field: keyPath, messages: [`the key of ${keyPath} ${problem}`] });
        else stack.push([child, keyPath]);
      }
    }
  }
  return found;
}

function nullErrors(value: unknown, metatype: ArgumentMetadata['metatype']): ApiErrorDetail[] {
  if (!metatype || typeof metatype !== 'function' || [Object, String, Number, Boolean, Array].includes(metatype as never)) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const nullable = nullableFields(metatype.prototype as object);
  return Object.entries(value)
    .filter(([key, child]) => child === null && !nullable.has(key))
    .map(([key]) => ({ field: key, messages: [`${key} must not be null (leave it out instead)`] }));
}

/**
 * The global pipe: strips nothing silently (unknown fields are an error), converts path and
 * query strings to the DTO's types, and answers 400 naming every bad field. It also refuses NUL
 * characters in any string: PostgreSQL cannot store them and they truncate text in C libraries.
 */
@Injectable()
export class EngageValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const details = flattenValidationErrors(errors);
        return validationFailed(details);
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    // The standalone service's body parser refuses these first; in a host app whose own parser
    // took the body, this is the only check before class-transformer's recursion would overflow.
    if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      throw new BadRequestException({ code: 'too_deep', message: `Request ${metadata.type} nests deeper than ${MAX_JSON_DEPTH} levels` });
    }
    const problems = [...findBadStrings(value), ...nullErrors(value, metadata.metatype)];
    if (problems.length > 0) throw validationFailed(problems);
    return super.transform(value, metadata);
  }
}

/** The one 400 for bad fields: code validation_failed, each field named in details. */
export function validationFailed(details: ApiErrorDetail[]): BadRequestException {
  const summary = details.map((detail) => detail.messages.join(', ')).join('; ');
  return new BadRequestException({ code: 'validation_failed', message: `Invalid request: ${summary}`, details });
}
