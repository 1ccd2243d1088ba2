import type { DeliveryConfig } from '../../config/delivery.config';
import { readDeliveryConfig } from '../../config/delivery.config';

/** DI token of the effective DeliveryConfig of the NotificationModule. */
export const DELIVERY_SETTINGS = Symbol('DELIVERY_SETTINGS');

/** Module options override the defaults (no providers configured, 5 attempts, 1 s first backoff). */
export function deliverySettings(overrides: Partial<DeliveryConfig> | undefined): DeliveryConfig {
  return { ...readDeliveryConfig({}), ...overrides };
}
