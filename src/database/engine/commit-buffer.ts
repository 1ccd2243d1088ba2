import type { EntityManager } from 'typeorm';
import { upsertAdd } from './upsert';

interface PendingAdd {
  table: string;
  key: Record<string, string>;
  amounts: Record<string, number>;
}

/** The buffer of each open transaction, by the manager its units of work are given. */
const buffers = new WeakMap<EntityManager, CommitBuffer>();

/**
 * Additions to shared counter rows, summed in memory while a transaction runs and written once,
 * just before it commits.
 *
 * Every tracked event adds to the same few rows (the day's event count, the day's count of its
 * type and page). Under group commit a transaction holds hundreds of events, and writing those
 * rows once per event was a fifth of the statements of a batch. Here each row gets one upsert per
 * transaction, with the sum.
 *
 * A unit of work's additions are staged apart and count only if the unit succeeds: the runner
 * keeps them when it releases the unit's savepoint and drops them when it rolls the unit back.
 * They are in the same transaction as the unit's rows, so both commit, or neither does.
 *
 * Only for rows nobody reads inside an ingest transaction (the buffered sum is not visible to SQL
 * until the flush).
 */
export class CommitBuffer {
  private readonly kept = new Map<string, PendingAdd>();
  private staged = new Map<string, PendingAdd>();

  /** Gives `manager`'s transaction a buffer, flushed by the caller before it commits. */
  static attach(manager: EntityManager): CommitBuffer {
    const buffer = new CommitBuffer();
    buffers.set(manager, buffer);
    return buffer;
  }

  static detach(manager: EntityManager): void {
    buffers.delete(manager);
  }

  /** Adds at commit when `manager` runs a buffered transaction, else at once. */
  static async add(manager: EntityManager, table: string, key: Record<string, string>, amounts: Record<string, number>): Promise<void> {
    const buffer = buffers.get(manager);
    if (buffer) buffer.stage(table, key, amounts);
    else await upsertAdd(manager, table, key, amounts);
  }

  /** The current unit succeeded: its additions will be written. */
  keepUnit(): void {
    for (const [id, add] of this.staged) {
      const kept = this.kept.get(id);
      if (kept) for (const [column, amount] of Object.entries(add.amounts)) kept.amounts[column] = (kept.amounts[column] ?? 0) + amount;
      else this.kept.set(id, add);
    }
    this.staged = new Map();
  }

  /** The current unit was rolled back: its additions are forgotten. */
  dropUnit(): void {
    this.staged = new Map();
  }

  /** Writes the kept sums, one statement per row, on the transaction's connection. */
  async flush(manager: EntityManager): Promise<void> {
    for (const add of this.kept.values()) await upsertAdd(manager, add.table, add.key, add.amounts);
    this.kept.clear();
  }

  private stage(table: string, key: Record<string, string>, amounts: Record<string, number>): void {
    // Length-prefixed parts: unambiguous whatever the values hold, and cheaper than JSON.
    let id = `${table.length}:${table}`;
    for (const column in key) id += `${column.length}:${column}${key[column].length}:${key[column]}`;
    const staged = this.staged.get(id);
    if (staged) {
      for (const [column, amount] of Object.entries(amounts)) staged.amounts[column] = (staged.amounts[column] ?? 0) + amount;
    } else {
      this.staged.set(id, { table, key, amounts: { ...amounts } });
    }
  }
}
