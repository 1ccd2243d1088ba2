import { apnsId } from './apns.sender';

describe(apnsId.name, () => {
  const notification = '01930c1e-5a4b-7c2d-9e8f-0123456789ab';
  const device = '01930c1e-0000-7000-8000-000000000001';

  it('is a lowercase canonical UUID (version 5), as APNs requires', () => {
    expect(apnsId(notification, device)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the same for a notification and device every time, and another for another device or notification', () => {
    expect(apnsId(notification, device)).toBe(apnsId(notification, device));
    expect(apnsId(notification, device.replace(/1$/, '2'))).not.toBe(apnsId(notification, device));
    expect(apnsId(notification.replace(/b$/, 'c'), device)).not.toBe(apnsId(notification, device));
  });

  it('stays what it was in earlier releases, so a retry across an upgrade keeps its apns-id', () => {
    expect(apnsId(notification, device)).toBe('34712f2a-393a-5759-9058-cb75b4a68faa');
  });
});
