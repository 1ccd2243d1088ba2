import type { NotificationPreference } from '../entities/notification-preference.entity';
import type { NotificationType } from '../entities/notification-type.entity';
import { ANY, PRECEDENCE, resolvePreference, ResolvedPreference } from './preference-resolution';

export interface PreferenceMatrixRow {
  notificationType: string;
  /** The type's registry entry; null for a type known only from the user's own preferences. */
  entry: NotificationType | null;
  /** One per channel, in the matrix's channel order. */
  cells: Array<{ channel: string; resolved: ResolvedPreference }>;
}

export interface PreferenceMatrix {
  userId: string;
  channels: string[];
  rows: PreferenceMatrixRow[];
}

/**
 * Every known type (registered, or named by one of the user's stored preferences) on every
 * channel, each resolved as a send would be. Types in code-point order, so a client's list is stable.
 */
export function buildPreferenceMatrix(
  userId: string,
  stored: NotificationPreference[],
  registry: NotificationType[],
  channels: string[],
): PreferenceMatrix {
  const entries = new Map(registry.map((entry) => [entry.notificationType, entry]));
  const byKey = new Map(stored.map((preference) => [keyOf(preference.notificationType, preference.channel), preference]));
  const types = [...new Set([...entries.keys(), ...stored.map((preference) => preference.notificationType)])]
    .filter((type) => type !== ANY)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = types.map((notificationType) => {
    const entry = entries.get(notificationType) ?? null;
    const cells = channels.map((channel) => {
      // Only the rows that can decide this cell, looked up by key: the matrix is types × channels.
      const candidates = PRECEDENCE.map((level) => byKey.get(keyOf(...level.key(notificationType, channel)))).filter(
        (preference): preference is NotificationPreference => preference !== undefined,
      );
      return { channel, resolved: resolvePreference(candidates, notificationType, channel, entry) };
    });
    return { notificationType, entry, cells };
  });
  return { userId, channels, rows };
}

function keyOf(type: string, channel: string): string {
  return `${type}\u0000${channel}`;
}
