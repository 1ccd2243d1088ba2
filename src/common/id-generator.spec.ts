import { IdGenerator } from './id-generator';

describe(IdGenerator.name, () => {
  const sut = new IdGenerator();

  it('makes UUIDv7 ids that sort in the order they were made', () => {
    const ids = Array.from({ length: 2000 }, () => sut.next());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Byte order is creation order, so new rows go to the end of an index on the id.
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts each id with the time it was made', () => {
    const before = Date.now();
    const id = sut.next();
    const millis = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now());
  });
});
