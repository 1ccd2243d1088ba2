/** How often a type's email, SMS, push and Slack messages reach a user: each at once, or gathered into one. */
export const DIGEST_FREQUENCIES = ['instant', 'hourly', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** What happens to sends of a throttled type past its hourly cap: gathered into a digest, or dropped. */
export const THROTTLE_EXCESS = ['digest', 'drop'] as const;
export type ThrottleExcess = (typeof THROTTLE_EXCESS)[number];

/**
 * The type of the message a digest becomes, and the name of the template that renders it when an
 * admin makes one (else the built-in text). Prefixed so it cannot clash with a host's own types.
 */
export const DIGEST_TYPE = 'engage_digest';
