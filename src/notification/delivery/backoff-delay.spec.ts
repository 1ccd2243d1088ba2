import { readDeliveryConfig } from '../../config/delivery.config';
import { backoffDelay } from './delivery-worker.service';

describe(backoffDelay.name, () => {
  const schedule = (random: () => number) => {
    const { backoffMs, maxAttempts } = readDeliveryConfig({});
    let total = 0;
    for (let attempt = 1; attempt < maxAttempts; attempt++) total += backoffDelay(backoffMs, attempt, null, random);
    return total;
  };

  it('spreads the default retries over more than 30 minutes however the jitter falls', () => {
    expect(schedule(() => 0)).toBeGreaterThanOrEqual(30 * 60_000);
    expect(schedule(() => 0.999)).toBeLessThanOrEqual(45 * 60_000);
  });

  it('doubles each wait and takes a longer Retry-After instead', () => {
    expect(backoffDelay(1000, 1, null, () => 1)).toBe(1000);
    expect(backoffDelay(1000, 3, null, () => 1)).toBe(4000);
    expect(backoffDelay(1000, 3, null, () => 0)).toBe(3200);
    expect(backoffDelay(1000, 1, 60_000, () => 1)).toBe(60_000);
  });
});
