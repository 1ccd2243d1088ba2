const NULLABLE = Symbol('engage:nullable');

/**
 * Marks a DTO field where `null` means something (clear it, or the default) and is accepted.
 * Everywhere else the pipe answers a `null` with a 400 naming the field, rather than letting
 * @IsOptional pass it on to services that only test for undefined.
 */
export function Nullable(): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const fields: Set<string | symbol> = Reflect.getMetadata(NULLABLE, target) ?? new Set();
    Reflect.defineMetadata(NULLABLE, new Set([...fields, property]), target);
  };
}

/** The fields of a DTO marked @Nullable. */
export function nullableFields(prototype: object): Set<string | symbol> {
  return Reflect.getMetadata(NULLABLE, prototype) ?? new Set();
}
