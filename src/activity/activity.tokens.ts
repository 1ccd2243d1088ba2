/** DI token of the activity database's TransactionRunner. */
export const ACTIVITY_TRANSACTIONS = Symbol('ACTIVITY_TRANSACTIONS');
