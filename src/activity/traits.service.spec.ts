import { MAX_STORED_TRAITS_BYTES, mergeBounded } from './traits.service';

describe(mergeBounded.name, () => {
  it("lets the update's keys replace the same keys and keeps the others", () => {
    expect(mergeBounded({ plan: 'trial', email: 'a@example.com' }, { plan: 'pro' })).toEqual({ plan: 'pro', email: 'a@example.com' });
  });

  it('drops the first-stored keys past the bound instead of failing, keeping the update whole', () => {
    const current = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    const update = { plan: 'pro', note: 'y'.repeat(4000) };
    const sut = mergeBounded(current, update);
    expect(Buffer.byteLength(JSON.stringify(sut), 'utf8')).toBeLessThanOrEqual(MAX_STORED_TRAITS_BYTES);
    expect(sut).toMatchObject(update);
    expect(sut.k39).toBeDefined();
    expect(sut.k0).toBeUndefined();
  });
});
