import type { DigestPreference } from '../entities/digest-preference.entity';
import { ANY } from '../preferences/preference-resolution';
import type { DigestFrequency } from './digest-frequency';

/** Where a type's effective digest frequency came from. */
export const DIGEST_SOURCES = ['user_type', 'user_all', 'type_default', 'default'] as const;
export type DigestSource = (typeof DIGEST_SOURCES)[number];

export interface ResolvedDigest {
  frequency: DigestFrequency;
  source: DigestSource;
}

/**
 * How often `type` reaches the user off the in-app channel: their choice for the type, else
 * their choice for every type (`*`), else the type's registry default, else `instant`. A required
 * type is always instant: it goes out past every rule.
 */
export function resolveDigest(
  choices: Array<Pick<DigestPreference, 'notificationType' | 'frequency'>>,
  type: string,
  entry: { digest: DigestFrequency; required: boolean } | null,
): ResolvedDigest {
  if (entry?.required) return { frequency: 'instant', source: 'type_default' };
  const own = choices.find((choice) => choice.notificationType === type);
  if (own) return { frequency: own.frequency, source: 'user_type' };
  const everyType = choices.find((choice) => choice.notificationType === ANY);
  if (everyType) return { frequency: everyType.frequency, source: 'user_all' };
  if (entry) return { frequency: entry.digest, source: 'type_default' };
  return { frequency: 'instant', source: 'default' };
}
