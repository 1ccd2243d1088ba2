import { registerDecorator, ValidationOptions } from 'class-validator';

/** A JSON object (not an array, not null): what metadata, data and device_info must be. */
export function IsPlainObject(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPlainObject',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a JSON object', ...options },
      validator: {
        validate(value: unknown): boolean {
          return typeof value === 'object' && value !== null && !Array.isArray(value);
        },
      },
    });
  };
}
