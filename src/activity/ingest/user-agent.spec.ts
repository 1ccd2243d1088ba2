import { isProgramUserAgent, parseUserAgent } from './user-agent';

describe(parseUserAgent.name, () => {
  it('reads browser, OS and device type', () => {
    const iphone = parseUserAgent(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    );
    expect(iphone).toMatchObject({ browser: 'Mobile Safari', os: 'iOS', device_type: 'mobile', is_bot: false });
    const desktop = parseUserAgent(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    );
    expect(desktop).toMatchObject({ browser: 'Chrome', os: 'Windows', device_type: 'desktop', is_bot: false });
  });

  it('flags known bots', () => {
    expect(parseUserAgent('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toMatchObject({
      is_bot: true,
      device_type: 'bot',
    });
    expect(parseUserAgent('curl/8.5.0').is_bot).toBe(true);
  });

  it('copes with no user agent', () => {
    expect(parseUserAgent(null)).toEqual({
      browser: null,
      browser_version: null,
      os: null,
      os_version: null,
      device_type: null,
      is_bot: false,
    });
  });

  it('parses each user agent once and shares the frozen result', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    const first = parseUserAgent(ua);
    expect(first).toMatchObject({ browser: 'Firefox', os: 'Linux', device_type: 'desktop', is_bot: false });
    expect(parseUserAgent(`${ua}`)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => Object.assign(first as { browser: string | null }, { browser: 'changed' })).toThrow(TypeError);
    expect(parseUserAgent(ua).browser).toBe('Firefox');
  });

  it('parses overlong user agents without keeping them', () => {
    const long = `Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36 ${'x'.repeat(600)}`;
    const first = parseUserAgent(long);
    expect(first).toMatchObject({ browser: 'Chrome', device_type: 'desktop' });
    expect(parseUserAgent(long)).not.toBe(first);
    expect(parseUserAgent(long)).toEqual(first);
  });
});

describe(isProgramUserAgent.name, () => {
  it.each([
    ['curl/8.5.0'],
    ['node'],
    ['axios/1.7.2'],
    ['python-requests/2.32.3'],
    ['Go-http-client/1.1'],
    ['okhttp/4.12.0'],
    ['Java/17.0.10'],
    ['PostmanRuntime/7.39.0'],
    ['analytics-node-next/latest'],
    ['MyApp/1.2 CFNetwork/1410.0.3 Darwin/22.6.0'],
    ['Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)'],
    ['analytics-kotlin/1.16.0'],
  ])('takes %s for a program', (ua) => {
    expect(isProgramUserAgent(ua)).toBe(true);
  });

  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['Googlebot/2.1 (+http://www.google.com/bot.html)'],
    ['Baiduspider'],
    ['Wget/1.21.4'],
    ['Scrapy/2.11.0 (+https://scrapy.org)'],
    ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
    ['WhatsApp/2.23.20.0'],
  ])('leaves %s to be judged (a browser, a crawler or a downloader)', (ua) => {
    expect(isProgramUserAgent(ua)).toBe(false);
  });
});
