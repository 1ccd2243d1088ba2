/**
 * The end user behind a tracking call, as far as the server can tell. The address and
 * User-Agent of the request are the end user's only when the credential lives on the end user's
 * device (a publishable key, a beacon's `?key=`, a user token). A secret key is held by the host's
 * backend: its requests come from curl, axios or an SDK, whose User-Agent says nothing of the
 * user, so both are null and the tracked event's `context` must name them.
 */
export interface ClientInfo {
  /** The end user's address; X-Forwarded-For is honoured only when TRUST_PROXY is set. */
  ipAddress: string | null;
  userAgent: string | null;
}

/** Longest User-Agent kept; real ones are a few hundred characters. */
export const MAX_USER_AGENT = 1024;
