import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
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

/**
 * The global pipe: strips nothing silently (unknown fields are an error), converts path and
 * query strings to the DTO's types, and answers 400 naming every bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details.map((detail) => detail.messages.join(', ')).join('; ');
      return new BadRequestException({
        code: 'validation_failed',
        message: `Invalid request: ${summary}`,
        details,
      });
    },
  });
}
