import type { LookupAddress } from 'node:dns';
import { isOutboundAllowEntry, OutboundDeniedError, OutboundPolicy, Resolver } from './outbound-policy';

// Pure tests: no socket is opened and no name is resolved, so the addresses here are only strings.
describe(OutboundPolicy.name, () => {
  const sut = new OutboundPolicy({ allow: [], allowHttp: false });
  const denied = (url: string) => () => sut.checkUrl(url);

  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['loopback, elsewhere in 127/8', 'https://127.8.9.10/'],
    ['RFC 1918 10/8', 'https://10.0.0.5/'],
    ['RFC 1918 172.16/12', 'https://172.20.1.1/'],
    ['RFC 1918 192.168/16', 'https://192.168.1.1/'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data/'],
    ['CGNAT 100.64/10', 'https://100.64.0.1/'],
    ['unspecified', 'https://0.0.0.0/'],
    ['broadcast', 'https://255.255.255.255/'],
    ['multicast', 'https://224.0.0.1/'],
    ['reserved (documentation)', 'https://192.0.2.1/'],
    ['IPv6 loopback', 'https://[::1]/'],
    ['IPv6 unspecified', 'https://[::]/'],
    ['IPv6 link-local', 'https://[fe80::1]/'],
    ['IPv6 unique-local', 'https://[fc00::1]/'],
    ['IPv6 multicast', 'https://[ff02::1]/'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped private, hex form', 'https://[::ffff:a00:1]/'],
    ['NAT64 of loopback', 'https://[64:ff9b::7f00:1]/'],
    ['6to4 of loopback', 'https://[2002:7f00:1::]/'],
    ['decimal spelling of loopback', 'https://2130706433/'],
    ['hex spelling of loopback', 'https://0x7f000001/'],
    ['octal spelling of loopback', 'https://0177.0.0.1/'],
    ['short spelling of loopback', 'https://127.1/'],
    ['the name localhost', 'https://localhost:8443/'],
    ['the name localhost, fully qualified', 'https://localhost./'],
    ['a .localhost name', 'https://api.localhost/'],
    ['IPv4-compatible IPv6 of loopback', 'https://[::7f00:1]/'],
    ['IPv4-compatible IPv6 of the metadata address', 'https://[::a9fe:a9fe]/'],
    ['a percent-escaped dot, which another parser reads as the address', 'https://127.0.0.1%2eevil.example/p'],
    ['a semicolon, which another parser cuts the host at', 'https://127.0.0.1;evil.example/p'],
    ['a backslash in the authority', 'https://evil.example\\@127.0.0.1/p'],
  ])('denies %s (%s)', (_label, url) => {
    expect(denied(url)).toThrow(OutboundDeniedError);
  });

  it.each([
    ['plain http', 'http://hooks.example.com/x', 'must be an https URL'],
    ['another scheme', 'ftp://hooks.example.com/x', 'must be an https URL'],
    ['file', 'file:///etc/passwd', 'must be an https URL'],
    ['not a URL', 'hooks.example.com', 'is not a valid URL'],
  ])('denies %s with a reason', (_label, url, reason) => {
    expect(denied(url)).toThrow(reason);
  });

  it('refuses a connection to a denied address literal, whatever parsed the URL', () => {
    expect(() => sut.assertAddressLiteralAllowed('127.0.0.1')).toThrow(OutboundDeniedError);
    expect(() => sut.assertAddressLiteralAllowed('[::ffff:127.0.0.1]')).toThrow(OutboundDeniedError);
    expect(() => sut.assertAddressLiteralAllowed('hooks.example.com')).not.toThrow();
    expect(() => sut.assertAddressLiteralAllowed('93.184.216.34')).not.toThrow();
  });

  it('names the field in the errors of a stored URL', () => {
    expect(sut.fieldErrors('webhook_url', 'https://10.0.0.1/')).toEqual([
      { field: 'webhook_url', messages: ['webhook_url points to an internal or reserved address'] },
    ]);
    expect(sut.fieldErrors('webhook_url', 7)).toEqual([{ field: 'webhook_url', messages: ['webhook_url must be a URL'] }]);
    expect(sut.fieldErrors('webhook_url', undefined)).toEqual([]);
  });

  it('allows public names and addresses over https', () => {
    expect(sut.checkUrl('https://hooks.slack.com/services/T0/B0/X').hostname).toBe('hooks.slack.com');
    expect(() => sut.checkUrl('https://8.8.8.8/')).not.toThrow();
    expect(() => sut.checkUrl('https://[2001:4860:4860::8888]/')).not.toThrow();
  });

  it('allows what OUTBOUND_ALLOW names, and http only when OUTBOUND_ALLOW_HTTP says so', () => {
    const allowing = new OutboundPolicy({ allow: ['127.0.0.1/32', 'hooks.corp.example', 'fd00::/8'], allowHttp: true });
    expect(() => allowing.checkUrl('http://127.0.0.1:8080/hook')).not.toThrow();
    expect(() => allowing.checkUrl('https://hooks.corp.example/x')).not.toThrow();
    expect(() => allowing.checkUrl('https://[fd00::5]/')).not.toThrow();
    expect(() => allowing.checkUrl('https://127.0.0.2/')).toThrow(OutboundDeniedError);
    expect(() => allowing.checkUrl('https://10.0.0.1/')).toThrow(OutboundDeniedError);
    expect(allowing.addressAllowed('::ffff:127.0.0.1')).toBe(true);
  });

  it.each([
    ['127.0.0.1/32', true],
    ['10.0.0.0/8', true],
    ['fd00::/8', true],
    ['hooks.corp.example', true],
    ['127.0.0.1', true],
    ['10.0.0.0/99', false],
    ['http://x', false],
    ['a b', false],
  ])('reads the OUTBOUND_ALLOW entry %s as valid: %s', (entry, valid) => {
    expect(isOutboundAllowEntry(entry)).toBe(valid);
  });

  describe('lookup (what the socket may connect to)', () => {
    /** A resolver that answers from a script, call by call: the rebinding attacker's DNS. */
    const scripted = (...answers: string[][]): Resolver => {
      let call = 0;
      return (_host, _options, callback) => {
        const addresses = answers[Math.min(call++, answers.length - 1)];
        callback(
          null,
          addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
        );
      };
    };
    const lookup = (policy: OutboundPolicy, host: string, all = false) =>
      new Promise<{ error: Error | null; address: unknown }>((resolve) =>
        policy.lookup(host, { all }, (error, address) => resolve({ error, address })),
      );

    it('refuses a name that resolves to a public address first and an internal one next', async () => {
      const policy = new OutboundPolicy({ allow: [], allowHttp: false }, scripted(['93.184.216.34'], ['127.0.0.1']));
      expect((await lookup(policy, 'rebind.example')).address).toBe('93.184.216.34');
      const second = await lookup(policy, 'rebind.example');
      expect(second.error).toBeInstanceOf(OutboundDeniedError);
    });

    it('keeps only the allowed addresses of a name that resolves to several', async () => {
      const policy = new OutboundPolicy({ allow: [], allowHttp: false }, scripted(['10.0.0.1', '93.184.216.34', '::1']));
      expect((await lookup(policy, 'mixed.example', true)).address).toEqual([{ address: '93.184.216.34', family: 4 }]);
    });

    it('lets an allowed host name resolve to anything', async () => {
      const policy = new OutboundPolicy({ allow: ['hooks.corp.example'], allowHttp: false }, scripted(['10.1.2.3']));
      expect((await lookup(policy, 'hooks.corp.example')).address).toBe('10.1.2.3');
    });
  });
});
