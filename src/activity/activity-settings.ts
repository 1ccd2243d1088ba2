/** DI token of the ActivityModule's effective settings. */
export const ACTIVITY_SETTINGS = Symbol('ACTIVITY_SETTINGS');

export interface ActivitySettings {
  /** An automatic session ends after this long without events. */
  sessionTimeoutMs: number;
}

export const DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
