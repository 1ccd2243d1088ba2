/** A user's inbox counts, or a change to them. */
export interface InboxCounts {
  total: number;
  unread: number;
  unseen: number;
}

/** The part of a notification's state the counts depend on. */
export interface CountedState {
  relistAt: Date | null;
  archivedAt: Date | null;
  readAt: Date | null;
  seenAt: Date | null;
}

export const NO_COUNTS: InboxCounts = Object.freeze({ total: 0, unread: 0, unseen: 0 });

/**
 * What one notification adds to its user's counts. It counts while it is in the inbox: come in
 * (not scheduled for later, not snoozed) and not archived. Unread and unseen count among those.
 */
export function countsOf(state: CountedState | null): InboxCounts {
  if (!state || state.relistAt !== null || state.archivedAt !== null) return NO_COUNTS;
  return { total: 1, unread: state.readAt === null ? 1 : 0, unseen: state.seenAt === null ? 1 : 0 };
}

/** How the counts change when a notification goes from `before` to `after` (null: absent). */
export function countsChange(before: CountedState | null, after: CountedState | null): InboxCounts {
  const a = countsOf(before);
  const b = countsOf(after);
  return { total: b.total - a.total, unread: b.unread - a.unread, unseen: b.unseen - a.unseen };
}

export function isNoChange(change: InboxCounts): boolean {
  return change.total === 0 && change.unread === 0 && change.unseen === 0;
}
