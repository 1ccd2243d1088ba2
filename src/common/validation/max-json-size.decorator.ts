import { registerDecorator, ValidationOptions } from 'class-validator';

/** The value, serialised as JSON, must fit in `maxBytes` UTF-8 bytes (bounds free-form objects). */
export function MaxJsonSize(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'maxJsonSize',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [maxBytes],
      options: { message: `$property must be at most ${maxBytes} bytes as JSON`, ...options },
      validator: {
        validate(value: unknown): boolean {
          if (value === undefined || value === null) return true;
          try {
            return Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes;
          } catch {
            return false;
          }
        },
      },
    });
  };
}
