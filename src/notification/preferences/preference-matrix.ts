import type { DigestPreference } from '../entities/digest-preference.entity';
import type { NotificationPreference } from '../entities/notification-preference.entity';
import { resolveDigest, type ResolvedDigest } from '../digest/digest-resolution';
import type { DigestFrequency } from '../digest/digest-frequency';
import type { NotificationType } from '../entities/notification-type.entity';
import { ANY, PRECEDENCE, resolvePreference, ResolvedPreference } from './preference-resolution';

export interface PreferenceMatrixRow {
  notificationType: string;
  /** The type's registry entry; null for a type known only from the user's own preferences. */
  entry: NotificationType | null;
  /** One per channel, in the matrix's channel order. */
  cells: Array<{ channel: string; resolved: ResolvedPreference }>;
  /** How often it reaches the user off the in-app channel, and which level said so. */
  digest: ResolvedDigest;
}

export interface PreferenceMatrix {
  userId: string;
  channels: string[];
  rows: PreferenceMatrixRow[];
  /** The user's digest choice for every type (`*`), or null. */
  digestAll: DigestFrequency | null;
}

/**
 * Every known type (registered, sent by a template, or named by one of the user's stored
 * preferences or digest choices) on every channel, each resolved as a send would be, with its
 * digest frequency. Types in code-point order, so a client's list is stable.
 */
export function buildPreferenceMatrix(
  userId: string,
  stored: NotificationPreference[],
  registry: NotificationType[],
  channels: string[],
  digestChoices: DigestPreference[] = [],
  templateDefaults: ReadonlyMap<string, boolean | null> = new Map(),
): PreferenceMatrix {
  const entries = new Map(registry.map((entry) => [entry.notificationType, entry]));
  const byKey = new Map(stored.map((preference) => [keyOf(preference.notificationType, preference.channel), preference]));
  const named = [...stored, ...digestChoices].map((row) => row.notificationType);
  const types = [...new Set([...entries.keys(), ...templateDefaults.keys(), ...named])]
    .filter((type) => type !== ANY)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = types.map((notificationType) => {
    const entry = entries.get(notificationType) ?? null;
    // Not registered: the default of the template that sends it, if it has one.
    const templateDefault = templateDefaults.get(notificationType) ?? null;
    const fromTemplate = templateDefault === null ? null : { defaultEnabled: templateDefault, required: false };
    const cells = channels.map((channel) => {
      // Only the rows that can decide this cell, looked up by key: the matrix is types × channels.
      const candidates = PRECEDENCE.map((level) => byKey.get(keyOf(...level.key(notificationType, channel)))).filter(
        (preference): preference is NotificationPreference => preference !== undefined,
      );
      return { channel, resolved: resolvePreference(candidates, notificationType, channel, entry ?? fromTemplate) };
    });
    return { notificationType, entry, cells, digest: resolveDigest(digestChoices, notificationType, entry) };
  });
  const digestAll = digestChoices.find((choice) => choice.notificationType === ANY)?.frequency ?? null;
  return { userId, channels, rows, digestAll };
}

function keyOf(type: string, channel: string): string {
  return `${type}\u0000${channel}`;
}
