import type { EntityManager } from 'typeorm';

declare const readHandle: unique symbol;
declare const transactionHandle: unique symbol;

/**
 * A handle for reading: `TransactionRunner.reads` (no transaction) or any `Tx`. Every repository
 * method takes its handle first, so which connection and transaction a query runs in is always the
 * caller's explicit choice, never a default.
 */
export type Db = EntityManager & { readonly [readHandle]: true };

/**
 * A handle inside a transaction the TransactionRunner began: what every repository write takes,
 * first. Only `TransactionRunner.run` makes one, so a write cannot be handed the data source's
 * own manager by mistake. (On SQLite all queries share one connection: a write outside the
 * runner would land in whichever request's group transaction happened to be open, and commit or
 * roll back with it.)
 */
export type Tx = Db & { readonly [transactionHandle]: true };
