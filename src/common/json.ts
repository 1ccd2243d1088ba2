/** A value that survives JSON.stringify/parse unchanged: what json columns hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, as stored in metadata, data, device_info and data_schema columns. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * The property type of json columns on entities. Deliberately loose: TypeORM's deep-partial
 * typing of insert/update payloads recurses without end on the recursive JsonObject type.
 * DTOs validate the shape before anything reaches an entity.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonColumn = Record<string, any>;
