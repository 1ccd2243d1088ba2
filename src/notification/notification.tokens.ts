/** DI token of the notification database's TransactionRunner. */
export const NOTIFICATION_TRANSACTIONS = Symbol('NOTIFICATION_TRANSACTIONS');
