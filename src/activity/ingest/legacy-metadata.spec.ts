import { contextWithCampaign, referrerOf } from './legacy-metadata';

describe(referrerOf.name, () => {
  it('prefers the top-level referrer', () => {
    expect(referrerOf('https://a.example/', { referrer: 'https://b.example/' })).toBe('https://a.example/');
  });

  it("takes the original API's metadata.referrer when there is none", () => {
    expect(referrerOf(undefined, { referrer: 'https://google.com' })).toBe('https://google.com');
  });

  it('ignores a metadata referrer that is not a usable string', () => {
    expect(referrerOf(undefined, { referrer: 5 })).toBeNull();
    expect(referrerOf(undefined, { referrer: '' })).toBeNull();
    expect(referrerOf(undefined, { referrer: 'x'.repeat(2049) })).toBeNull();
    expect(referrerOf(undefined, undefined)).toBeNull();
  });
});

describe(contextWithCampaign.name, () => {
  it("fills context.campaign from metadata.utm_* with Segment's names", () => {
    const metadata = {
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'launch',
      utm_term: 'shoes',
      utm_content: 'hero',
      other: 'kept out',
    };
    expect(contextWithCampaign({ locale: 'en' }, metadata)).toEqual({
      locale: 'en',
      campaign: { source: 'newsletter', medium: 'email', name: 'launch', term: 'shoes', content: 'hero' },
    });
  });

  it('lets what the context says of the campaign win', () => {
    expect(contextWithCampaign({ campaign: { source: 'ads' } }, { utm_source: 'search', utm_medium: 'cpc' })).toEqual({
      campaign: { source: 'ads', medium: 'cpc' },
    });
  });

  it('returns the context as it was without campaign keys', () => {
    const context = { locale: 'en' };
    expect(contextWithCampaign(context, { plan: 'pro' })).toBe(context);
    expect(contextWithCampaign(undefined, undefined)).toBeNull();
  });
});
