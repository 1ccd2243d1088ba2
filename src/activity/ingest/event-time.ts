/** How far ahead of the receive time a client clock may claim to be before it is not believed. */
export const MAX_FUTURE_MS = 24 * 3600_000;

/**
 * When an event happened. With both `timestamp` and `sentAt` from the client, the client clock's
 * offset cancels out: receivedAt − (sentAt − timestamp) (Segment's rule). A time more than a day
 * after receipt is replaced by the receive time and flagged.
 */
export function resolveEventTime(receivedAt: Date, timestamp?: Date, sentAt?: Date): { timestamp: Date; clamped: boolean } {
  if (!timestamp) return { timestamp: receivedAt, clamped: false };
  const corrected = sentAt ? new Date(receivedAt.getTime() - (sentAt.getTime() - timestamp.getTime())) : timestamp;
  if (corrected.getTime() > receivedAt.getTime() + MAX_FUTURE_MS) return { timestamp: receivedAt, clamped: true };
  return { timestamp: corrected, clamped: false };
}
