/** DI token of the ActivityModule's effective settings. */
export const ACTIVITY_SETTINGS = Symbol('ACTIVITY_SETTINGS');

export interface ActivitySettings {
  /** An automatic session ends after this long without events. */
  sessionTimeoutMs: number;
  /** Raw events older than this many days are purged; null keeps them forever. */
  retentionDays: number | null;
  /** Tracking answers 429 while more writes than this wait for the database. */
  maxPendingWrites: number;
}

export const DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
