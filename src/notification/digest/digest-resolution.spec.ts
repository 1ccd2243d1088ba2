import { resolveDigest } from './digest-resolution';

describe('resolveDigest', () => {
  const registered = { digest: 'daily' as const, required: false };
  it.each([
    [
      'the user’s choice for the type first',
      [
        { notificationType: 'news', frequency: 'weekly' },
        { notificationType: '*', frequency: 'hourly' },
      ],
      registered,
      'weekly',
      'user_type',
    ],
    ['then their choice for every type', [{ notificationType: '*', frequency: 'hourly' }], registered, 'hourly', 'user_all'],
    ['then the registry', [], registered, 'daily', 'type_default'],
    ['then instant', [], null, 'instant', 'default'],
    [
      'a user choice of instant over a digesting registry',
      [{ notificationType: 'news', frequency: 'instant' }],
      registered,
      'instant',
      'user_type',
    ],
    [
      'never for a required type',
      [{ notificationType: 'news', frequency: 'weekly' }],
      { digest: 'daily' as const, required: true },
      'instant',
      'type_default',
    ],
  ] as const)('takes %s', (_name, choices, entry, frequency, source) => {
    expect(resolveDigest([...choices], 'news', entry)).toEqual({ frequency, source });
  });
});
