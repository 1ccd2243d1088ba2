import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** An entity as its table stores it: snake_case column names, times in ISO 8601 (for exports). */
export function toStoredRow(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>, row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of dataSource.getMetadata(entity).columns) {
    const value = (row as Record<string, unknown>)[column.propertyName];
    out[column.databaseName] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
