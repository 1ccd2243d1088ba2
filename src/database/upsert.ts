import type { EntityManager } from 'typeorm';

/** `?` placeholders for SQLite, `$1…` for PostgreSQL. */
function placeholders(manager: EntityManager, count: number, offset = 0): string[] {
  const positional = manager.connection.driver.options.type === 'postgres';
  return Array.from({ length: count }, (_, i) => (positional ? `$${offset + i + 1}` : '?'));
}

/**
 * Adds to counters in one statement: inserts the row with the deltas, or adds the deltas to the
 * row already there (INSERT … ON CONFLICT DO UPDATE, in both SQLite and PostgreSQL). Returns
 * the row's new values of the added columns. Table and column names are the caller's constants.
 */
export async function upsertAdd(
  manager: EntityManager,
  table: string,
  key: Record<string, string>,
  deltas: Record<string, number>,
): Promise<Record<string, number>> {
  const keyColumns = Object.keys(key);
  const addColumns = Object.keys(deltas);
  const columns = [...keyColumns, ...addColumns].map((c) => `"${c}"`).join(', ');
  const values = placeholders(manager, keyColumns.length + addColumns.length).join(', ');
  const updates = addColumns.map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`).join(', ');
  const sql =
    `INSERT INTO "${table}" (${columns}) VALUES (${values}) ` +
    `ON CONFLICT (${keyColumns.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${updates} ` +
    `RETURNING ${addColumns.map((c) => `"${c}"`).join(', ')}`;
  const rows: Array<Record<string, number | string>> = await manager.query(sql, [...Object.values(key), ...Object.values(deltas)]);
  return Object.fromEntries(addColumns.map((c) => [c, Number(rows[0]?.[c] ?? 0)]));
}

/** Inserts a row unless its key exists; true when it was inserted. */
export async function insertIfAbsent(manager: EntityManager, table: string, row: Record<string, string>): Promise<boolean> {
  const columns = Object.keys(row);
  const sql =
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${placeholders(manager, columns.length).join(', ')}) ` +
    `ON CONFLICT DO NOTHING RETURNING 1 AS inserted`;
  const rows: unknown[] = await manager.query(sql, Object.values(row));
  return rows.length > 0;
}
