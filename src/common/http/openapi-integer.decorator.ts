/**
 * The Swagger plugin types every `number` property as `number`, and class-validator's `@IsInt()`
 * is not among the decorators its shim reads. Fields marked `@ApiInteger()` are typed `integer`
 * in the document (see finalizeOpenApiDocument), so generated clients and schema validators
 * reject 1.5 where Engage does.
 *
 * A marker rather than `@ApiProperty({ type: 'integer' })`: an explicit ApiProperty would replace
 * the plugin's `required` and description for the field.
 */
const integerFields = new Map<string, Set<string>>();

export function ApiInteger(): PropertyDecorator {
  return (target, property) => {
    const schema = target.constructor.name;
    const fields = integerFields.get(schema) ?? new Set<string>();
    fields.add(String(property));
    integerFields.set(schema, fields);
  };
}

/** Integer fields by schema (class) name. */
export function integerFieldsBySchema(): ReadonlyMap<string, ReadonlySet<string>> {
  return integerFields;
}
