import { ArgumentMetadata, BadRequestException, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiErrorDetail } from '../api-error';

/** Flattens class-validator's tree into one entry per bad field, with dotted paths for nesting. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ApiErrorDetail[] {
  const details: ApiErrorDetail[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      details.push({ field, messages: Object.values(error.constraints) });
    }
    if (error.children?.length) {
      details.push(...flattenValidationErrors(error.children, field));
    }
  }
  return details;
}

/** Paths (dotted) of the strings in `value` that contain a NUL character, up to `limit` of them. */
export function findNulStrings(value: unknown, path = '', found: string[] = [], limit = 20): string[] {
  if (found.length >= limit) return found;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path || 'value');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findNulStrings(item, `${path}[${index}]`, found, limit));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) findNulStrings(item, path ? `${path}.${key}` : key, found, limit);
  }
  return found;
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
    const withNul = metadata.type === 'custom' ? [] : findNulStrings(value);
    if (withNul.length > 0) {
      throw validationFailed(withNul.map((field) => ({ field, messages: [`${field} must not contain NUL characters`] })));
    }
    return super.transform(value, metadata);
  }
}

/** The one 400 for bad fields: code validation_failed, each field named in details. */
export function validationFailed(details: ApiErrorDetail[]): BadRequestException {
  const summary = details.map((detail) => detail.messages.join(', ')).join('; ');
  return new BadRequestException({ code: 'validation_failed', message: `Invalid request: ${summary}`, details });
}
