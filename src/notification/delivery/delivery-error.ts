/**
 * A failed delivery, saying whether trying again can help. Providers classify by the peer's
 * status and error codes, never by message text.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode: number | null = null,
    /** How long the provider asked us to wait (Retry-After), in ms. */
    readonly retryAfterMs: number | null = null,
    /** Targets this attempt did reach before failing (push devices), not to be sent again. */
    readonly completedTargets: string[] = [],
    /**
     * The id the attempt's message carried (apns-id, Message-ID), kept even when it failed: the
     * record then shows that its retry carried the same one.
     */
    readonly providerMessageId: string | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
