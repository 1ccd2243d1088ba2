import type { InboxCursor } from './repositories/notification.repository';

/** Opaque page cursors: base64url of the last item's (available_at, id). */
export function encodeInboxCursor(cursor: InboxCursor): string {
  return Buffer.from(JSON.stringify([cursor.availableAt.toISOString(), cursor.id]), 'utf8').toString('base64url');
}

/** Null when the text is not a cursor this service made. */
export function decodeInboxCursor(text: string): InboxCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string' || id.length > 36) return null;
    const availableAt = new Date(at);
    return Number.isNaN(availableAt.getTime()) ? null : { availableAt, id };
  } catch {
    return null;
  }
}
