/** DI token of the ActivityModule's effective settings. */
export const ACTIVITY_SETTINGS = Symbol('ACTIVITY_SETTINGS');

export interface ActivitySettings {
  /** An automatic session ends after this long without events. */
  sessionTimeoutMs: number;
  /** Raw events older than this many days are purged; null keeps them forever. */
  retentionDays: number | null;
}

export const DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
