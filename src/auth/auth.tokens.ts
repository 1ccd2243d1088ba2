/** DI token of the auth database's TransactionRunner. */
export const AUTH_TRANSACTIONS = Symbol('AUTH_TRANSACTIONS');
