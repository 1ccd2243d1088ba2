import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { sql } from './sql';
import { type ColumnMetadata, fromStored, toStored } from './typeorm-adapter';

/**
 * An entity's table for the hot write path: inserts, lookups and partial updates as fixed SQL
 * run through `sql` (prepared statements on SQLite), with values converted to and from their
 * stored form by TypeORM's own driver and column metadata, so dates, JSON and booleans read and
 * write exactly as the entity's repository would.
 */
export class EntityTable<T extends ObjectLiteral> {
  private metadataCache?: EntityMetadata;
  private readonly texts = new Map<string, string>();
  /** Column metadata by property: looked up for every value converted, so once per property. */
  private readonly columns = new Map<string, ColumnMetadata>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: EntityTarget<T>,
  ) {}

  async insert(manager: EntityManager, entity: T): Promise<void> {
    const columns = this.metadata.columns;
    const text = this.text('insert', () => {
      const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
      return `INSERT INTO "${this.metadata.tableName}" (${names}) VALUES (${columns.map(() => '?').join(', ')})`;
    });
    await sql.run(
      manager,
      text,
      columns.map((column) => this.persisted(column, column.getEntityValue(entity))),
    );
  }

  /** The first row matching `where` (SQL over column names with `?` placeholders), or null. */
  async findOne(manager: EntityManager, where: string, params: unknown[], orderBy = ''): Promise<T | null> {
    const row = await sql.one<Record<string, unknown>>(
      manager,
      this.selectOneText('find', () => '*', where, orderBy),
      params,
    );
    return row === null ? null : this.hydrate(row);
  }

  /**
   * `findOne` reading only the given properties' columns: the hot path leaves out what it does not
   * use (long strings, JSON it would otherwise parse for nothing).
   */
  async findOnePick<K extends keyof T & string>(
    manager: EntityManager,
    properties: K[],
    where: string,
    params: unknown[],
    orderBy = '',
  ): Promise<Pick<T, K> | null> {
    const columns = () => properties.map((property) => `"${this.column(property).databaseName}"`).join(', ');
    const row = await sql.one<Record<string, unknown>>(
      manager,
      this.selectOneText(`pick ${properties.join(',')}`, columns, where, orderBy),
      params,
    );
    if (row === null) return null;
    const picked: Record<string, unknown> = {};
    for (const property of properties) {
      const column = this.column(property);
      picked[property] = fromStored(this.dataSource, column, row[column.databaseName]);
    }
    return picked as Pick<T, K>;
  }

  /** Up to `limit` rows matching `where`, in `orderBy` order. */
  async findMany(manager: EntityManager, where: string, params: unknown[], orderBy: string, limit: number): Promise<T[]> {
    const text = this.text(
      `many ${where} ${orderBy}`,
      () => `SELECT * FROM "${this.metadata.tableName}" WHERE ${where} ORDER BY ${orderBy} LIMIT ?`,
    );
    const rows = await sql.all<Record<string, unknown>>(manager, text, [...params, limit]);
    return rows.map((row) => this.hydrate(row));
  }

  /** How many rows match `where`: COUNT(*), which an index can answer alone (TypeORM's getCount counts DISTINCT ids, which needs every row). */
  async count(manager: EntityManager, where: string, params: unknown[]): Promise<number> {
    const text = this.text(`count ${where}`, () => `SELECT COUNT(*) AS "count" FROM "${this.metadata.tableName}" WHERE ${where}`);
    const row = await sql.one<{ count: number | string }>(manager, text, params);
    return Number(row?.count ?? 0);
  }

  /** A value as the column of `property` stores it: what a `?` compared with that column takes. */
  value(property: keyof T & string, value: unknown): unknown {
    return this.persisted(this.column(property), value);
  }

  /** A stored value of the column of `property` as the entity holds it (the reverse of `value`). */
  fromStored(property: keyof T & string, raw: unknown): unknown {
    return fromStored(this.dataSource, this.column(property), raw);
  }

  /**
   * Sets the given properties (all but the key when none are given) on the row whose
   * `keyProperty` equals the entity's; returns rows changed.
   */
  async update(
    manager: EntityManager,
    keyProperty: keyof T & string,
    entity: Partial<T>,
    properties?: Array<keyof T & string>,
  ): Promise<number> {
    const key = this.column(keyProperty);
    const columns = properties
      ? properties.map((property) => this.column(property))
      : this.metadata.columns.filter((column) => column !== key);
    const text = this.text(`update ${keyProperty} ${properties?.join(',') ?? '*'}`, () => {
      const sets = columns.map((c) => `"${c.databaseName}" = ?`).join(', ');
      return `UPDATE "${this.metadata.tableName}" SET ${sets} WHERE "${key.databaseName}" = ?`;
    });
    const values = columns.map((column) => this.persisted(column, entity[column.propertyName as keyof T]));
    return sql.run(manager, text, [...values, this.persisted(key, entity[keyProperty])]);
  }

  hydrate(row: Record<string, unknown>): T {
    const entity = this.metadata.create() as T;
    for (const column of this.metadata.columns) {
      const raw = row[column.databaseName];
      (entity as Record<string, unknown>)[column.propertyName] = raw === undefined ? undefined : fromStored(this.dataSource, column, raw);
    }
    return entity;
  }

  private persisted(column: ColumnMetadata, value: unknown): unknown {
    return toStored(this.dataSource, column, value);
  }

  private column(property: string): ColumnMetadata {
    let column = this.columns.get(property);
    if (column === undefined) {
      column = this.metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`${this.metadata.name} has no column ${property}`);
      this.columns.set(property, column);
    }
    return column;
  }

  /** `SELECT <columns> … LIMIT 1`, the text findOne and findOnePick share. */
  private selectOneText(key: string, columns: () => string, where: string, orderBy: string): string {
    return this.text(
      `${key} ${where} ${orderBy}`,
      () => `SELECT ${columns()} FROM "${this.metadata.tableName}" WHERE ${where}${orderBy ? ` ORDER BY ${orderBy}` : ''} LIMIT 1`,
    );
  }

  private text(key: string, build: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) this.texts.set(key, (text = build()));
    return text;
  }

  private get metadata(): EntityMetadata {
    return (this.metadataCache ??= this.dataSource.getMetadata(this.target));
  }
}
