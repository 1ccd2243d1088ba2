import { endUserContextErrors, endUserOf } from './end-user';

describe(endUserOf.name, () => {
  const request = { ipAddress: '198.51.100.1', userAgent: 'Mozilla/5.0 (request)' };

  it("takes the context's user_agent and ip over the request's", () => {
    expect(endUserOf({ user_agent: 'Mozilla/5.0 (context)', ip: '203.0.113.7' }, request)).toEqual({
      ipAddress: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (context)',
    });
  });

  it("reads Segment's camelCase userAgent too", () => {
    expect(endUserOf({ userAgent: 'Mozilla/5.0 (segment)' }, request)).toEqual({
      ipAddress: '198.51.100.1',
      userAgent: 'Mozilla/5.0 (segment)',
    });
  });

  it('falls back to the request, which is empty for a backend credential', () => {
    expect(endUserOf(undefined, request)).toEqual(request);
    expect(endUserOf({ locale: 'en' }, { ipAddress: null, userAgent: null })).toEqual({ ipAddress: null, userAgent: null });
  });

  it("keeps a program's User-Agent as none, from the context or the request", () => {
    expect(endUserOf({ user_agent: 'okhttp/4.12.0', ip: '203.0.113.7' }, request)).toEqual({ ipAddress: '203.0.113.7', userAgent: null });
    expect(endUserOf(undefined, { ipAddress: '198.51.100.1', userAgent: 'curl/8.5.0' })).toEqual({
      ipAddress: '198.51.100.1',
      userAgent: null,
    });
  });

  it('cuts an overlong user agent to 1,024 characters', () => {
    expect(endUserOf({ user_agent: 'x'.repeat(5000) }, request).userAgent).toHaveLength(1024);
  });
});

describe(endUserContextErrors.name, () => {
  it.each([
    [{ ip: 'not-an-ip' }, 'context.ip'],
    [{ ip: 42 }, 'context.ip'],
    [{ ip: '999.1.1.1' }, 'context.ip'],
    [{ user_agent: 7 }, 'context.user_agent'],
    [{ userAgent: ['a'] }, 'context.userAgent'],
    [{ user_agent: null, userAgent: 3 }, 'context.userAgent'],
  ])('names the bad field of %j', (context, field) => {
    expect(endUserContextErrors(context as never).map((e) => e.field)).toEqual([field]);
  });

  it('accepts IPv4, IPv6, absent and null values', () => {
    expect(endUserContextErrors({ ip: '203.0.113.7' })).toEqual([]);
    expect(endUserContextErrors({ ip: '2001:db8::1', user_agent: 'curl/8' })).toEqual([]);
    expect(endUserContextErrors({ ip: null, userAgent: null })).toEqual([]);
    expect(endUserContextErrors(undefined)).toEqual([]);
  });
});
