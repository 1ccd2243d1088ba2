import { Matches, ValidationOptions } from 'class-validator';

/**
 * Identifiers (user ids, types, names) must be printable: no NUL or other control characters,
 * which would corrupt logs and break exact matching in some databases.
 */
export function NoControlChars(options?: ValidationOptions): PropertyDecorator {
  // eslint-disable-next-line no-control-regex
  return Matches(/^[^\u0000-\u001f\u007f]*$/, { message: '$property must not contain control characters', ...options });
}
