import type { NotificationPreference } from '../entities/notification-preference.entity';

/** Wildcard for "every type" or "every channel" in a stored preference. */
export const ANY = '*';

/** Where an effective preference came from: a stored level of the user's, the type's registry entry, or the default. */
export const PREFERENCE_SOURCES = ['user_type_channel', 'user_channel', 'user_type', 'user_all', 'type_default', 'default'] as const;
export type PreferenceSource = (typeof PREFERENCE_SOURCES)[number];

/** What the type registry says of one type. A type not in the registry is enabled by default and not required. */
export interface TypeSettings {
  defaultEnabled: boolean;
  required: boolean;
}

export const UNREGISTERED_TYPE: TypeSettings = { defaultEnabled: true, required: false };

/**
 * The stored levels of a user's preferences, most specific first: the exact pair, then every type
 * on the channel, then the type on every channel, then the catch-all. The channel outranks the
 * type on purpose: a user who mutes a whole channel is not reached there by a type they enabled
 * "everywhere" (the order before issue #16 was the reverse).
 */
export const PRECEDENCE: ReadonlyArray<{ source: PreferenceSource; key: (type: string, channel: string) => [string, string] }> = [
  { source: 'user_type_channel', key: (type, channel) => [type, channel] },
  { source: 'user_channel', key: (_type, channel) => [ANY, channel] },
  { source: 'user_type', key: (type) => [type, ANY] },
  { source: 'user_all', key: () => [ANY, ANY] },
];

export interface ResolvedPreference {
  enabled: boolean;
  source: PreferenceSource;
  /** The stored preference that decided; null when the registry or the default did. */
  matched: NotificationPreference | null;
  /** A required type goes out whatever the user stored. */
  required: boolean;
}

/**
 * Whether `type` may go out on `channel`: a required type always; otherwise the most specific
 * stored level, then the type's registry default (`settings`, null for an unregistered type),
 * then enabled.
 */
export function resolvePreference(
  candidates: NotificationPreference[],
  type: string,
  channel: string,
  settings: TypeSettings | null,
): ResolvedPreference {
  if (settings?.required) return { enabled: true, source: 'type_default', matched: null, required: true };
  for (const level of PRECEDENCE) {
    const [wantedType, wantedChannel] = level.key(type, channel);
    const match = candidates.find((p) => p.notificationType === wantedType && p.channel === wantedChannel);
    // The row's own key names its level: asked about type `*`, the (`*`, channel) row is user_channel.
    if (match) return { enabled: match.enabled, source: sourceOf(match), matched: match, required: false };
  }
  if (settings) return { enabled: settings.defaultEnabled, source: 'type_default', matched: null, required: false };
  return { enabled: true, source: 'default', matched: null, required: false };
}

/** The level a stored preference sits at, read from its wildcards. */
export function sourceOf(preference: Pick<NotificationPreference, 'notificationType' | 'channel'>): PreferenceSource {
  const anyType = preference.notificationType === ANY;
  const anyChannel = preference.channel === ANY;
  if (anyType) return anyChannel ? 'user_all' : 'user_channel';
  return anyChannel ? 'user_type' : 'user_type_channel';
}

/** Why a send was suppressed, in the words of the level that decided. */
export function suppressionReason(userId: string, type: string, channel: string, resolved: ResolvedPreference): string {
  switch (resolved.source) {
    case 'user_type_channel':
      return `User ${userId} has disabled "${type}" notifications on ${channel}`;
    case 'user_channel':
      return `User ${userId} has disabled all notifications on ${channel}`;
    case 'user_type':
      return `User ${userId} has disabled "${type}" notifications on every channel`;
    case 'user_all':
      return `User ${userId} has disabled all notifications on every channel`;
    default:
      return `"${type}" notifications are off by default and user ${userId} has not enabled them on ${channel}`;
  }
}
