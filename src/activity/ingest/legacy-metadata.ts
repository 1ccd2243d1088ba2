import type { JsonObject, JsonValue } from '../../common/json';

/** The original API's campaign keys in `metadata`, and the `context.campaign` field each fills (Segment's names). */
const UTM_FIELDS: ReadonlyArray<[utm: string, campaign: string]> = [
  ['utm_source', 'source'],
  ['utm_medium', 'medium'],
  ['utm_campaign', 'name'],
  ['utm_term', 'term'],
  ['utm_content', 'content'],
];

const MAX_REFERRER = 2048;

/**
 * The event's referrer. The original API had no referrer field: its clients sent it as
 * `metadata.referrer` (its README's own example), so that counts when the top-level one is absent.
 */
export function referrerOf(referrer: string | undefined, metadata: JsonObject | undefined): string | null {
  if (referrer !== undefined) return referrer;
  const legacy = metadata?.referrer;
  return typeof legacy === 'string' && legacy.length > 0 && legacy.length <= MAX_REFERRER ? legacy : null;
}

/**
 * The event's context with `campaign` filled from the original API's `metadata.utm_*` keys. What
 * the context already says of the campaign wins; the context is returned unchanged (the same
 * object) when metadata has no campaign keys.
 */
export function contextWithCampaign(context: JsonObject | undefined, metadata: JsonObject | undefined): JsonObject | null {
  const fromMetadata: JsonObject = {};
  for (const [utm, field] of UTM_FIELDS) {
    const value = metadata?.[utm];
    if (typeof value === 'string' && value.length > 0) fromMetadata[field] = value;
  }
  if (Object.keys(fromMetadata).length === 0) return context ?? null;
  const existing: JsonValue | undefined = context?.campaign;
  const campaign = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
  return { ...context, campaign: { ...fromMetadata, ...campaign } };
}
