import type { NotificationPreference } from '../entities/notification-preference.entity';

/** Wildcard for "every type" or "every channel" in a stored preference. */
export const ANY = '*';

/**
 * Which stored preference decides whether `type` may go out on `channel`, most specific first:
 * the exact pair, then the type on every channel, then every type on the channel, then the
 * catch-all. With none stored, the default is enabled.
 */
export const PRECEDENCE: ReadonlyArray<(type: string, channel: string) => [string, string]> = [
  (type, channel) => [type, channel],
  (type) => [type, ANY],
  (_type, channel) => [ANY, channel],
  () => [ANY, ANY],
];

export interface ResolvedPreference {
  enabled: boolean;
  matched: NotificationPreference | null;
}

export function resolvePreference(candidates: NotificationPreference[], type: string, channel: string): ResolvedPreference {
  for (const rule of PRECEDENCE) {
    const [wantedType, wantedChannel] = rule(type, channel);
    const match = candidates.find((p) => p.notificationType === wantedType && p.channel === wantedChannel);
    if (match) return { enabled: match.enabled, matched: match };
  }
  return { enabled: true, matched: null };
}
