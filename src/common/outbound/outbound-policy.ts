import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { ApiErrorDetail } from '../api-error';

/** What OUTBOUND_ALLOW and OUTBOUND_ALLOW_HTTP say. */
export interface OutboundSettings {
  /** Host names and CIDR ranges (`hooks.internal.example`, `127.0.0.1/32`) that may be reached although internal. */
  allow: string[];
  /** Whether plain `http:` URLs may be called (`https:` only by default). */
  allowHttp: boolean;
}

/** Why a URL or address may not be called; its text is safe to show the user who set the URL. */
export class OutboundDeniedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'OutboundDeniedError';
  }
}

/** Whether an OUTBOUND_ALLOW entry is a CIDR range, an address or a host name. */
export function isOutboundAllowEntry(entry: string): boolean {
  if (entry.includes('/')) return ipaddr.isValidCIDR(entry);
  return isIP(entry) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(entry);
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Host names that always mean this machine, whatever DNS would say. */
const LOCAL_NAMES = /^(localhost|localhost\.localdomain)$|\.localhost$/i;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** How host names are resolved: the system's resolver (dns.lookup with `all`), or a test's stand-in. */
export type Resolver = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * The one rule for every URL Engage calls on someone's behalf (webhooks, Slack, Web Push
 * endpoints): public unicast addresses only, `https:` only, unless OUTBOUND_ALLOW names the
 * target. Checked when a URL is stored (checkUrl) and again when connecting (lookup), against the
 * addresses DNS gave: the socket connects to the address that was checked, so a name that
 * resolves to a public address first and an internal one next (DNS rebinding) gains nothing.
 * ipaddr.js classifies addresses; the WHATWG URL parser has already turned decimal, octal and hex
 * spellings (http://2130706433/, http://0x7f.1/) into dotted quads.
 */
export class OutboundPolicy {
  private readonly hosts: Set<string>;
  private readonly ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

  constructor(
    private readonly settings: OutboundSettings,
    private readonly resolve: Resolver = dnsLookup,
  ) {
    this.hosts = new Set(settings.allow.filter((entry) => !entry.includes('/') && isIP(entry) === 0).map((host) => host.toLowerCase()));
    this.ranges = settings.allow
      .filter((entry) => entry.includes('/') || isIP(entry) !== 0)
      .map((entry) =>
        entry.includes('/')
          ? ipaddr.parseCIDR(entry)
          : ([ipaddr.parse(entry), isIP(entry) === 4 ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]),
      );
  }

  /**
   * Throws OutboundDeniedError unless `raw` is a URL Engage may call; returns it parsed. No DNS is
   * asked. Callers must call the returned URL (its `href`), never `raw`: another parser (Node's
   * legacy url.parse, inside libraries) may read a host out of `raw` that this one did not see.
   */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundDeniedError('is not a valid URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.settings.allowHttp)) {
      throw new OutboundDeniedError(this.settings.allowHttp ? 'must be an http or https URL' : 'must be an https URL');
    }
    const host = url.hostname
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase();
    // Only plain names and addresses: percent-escapes, ';' and the like are where parsers disagree.
    if (isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
      throw new OutboundDeniedError('must name its host with letters, digits, dots and hyphens only');
    }
    const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw.trim())?.[1] ?? '';
    if (/[%\\]/.test(authority)) throw new OutboundDeniedError('must name its host without escapes');
    if (this.hosts.has(host)) return url;
    if (isIP(host) !== 0) {
      if (!this.addressAllowed(host)) throw new OutboundDeniedError('points to an internal or reserved address');
    } else if (LOCAL_NAMES.test(host)) {
      throw new OutboundDeniedError('points to this machine');
    }
    return url;
  }

  /** checkUrl for a stored field: the errors naming it, or none. */
  fieldErrors(field: string, value: unknown): ApiErrorDetail[] {
    if (value === undefined || value === null) return [];
    try {
      if (typeof value !== 'string') throw new OutboundDeniedError('must be a URL');
      this.checkUrl(value);
      return [];
    } catch (error) {
      if (!(error instanceof OutboundDeniedError)) throw error;
      return [{ field, messages: [`${field} ${error.message}`] }];
    }
  }

  /** Whether a resolved address may be connected to: a public unicast one, or one OUTBOUND_ALLOW names. */
  addressAllowed(address: string): boolean {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 it carries.
      parsed = ipaddr.process(address);
    } catch {
      return false;
    }
    if (this.ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) return true;
    if (parsed.range() !== 'unicast') return false;
    // IPv6 "unicast" per ipaddr.js includes deprecated forms that carry an IPv4 address
    // (::7f00:1 is 127.0.0.1): only global unicast, 2000::/3, is the public internet.
    return parsed.kind() === 'ipv4' || parsed.match(GLOBAL_UNICAST_V6);
  }

  /** Refuses a connection to an address literal the policy denies (a literal never reaches lookup). */
  assertAddressLiteralAllowed(host: string): void {
    const bare = host.replace(/^\[|\]$/g, '');
    if (isIP(bare) !== 0 && !this.hosts.has(bare.toLowerCase()) && !this.addressAllowed(bare)) {
      throw new OutboundDeniedError('points to an internal or reserved address');
    }
  }

  /**
   * A `lookup` for net/tls.connect: resolves as the system would, then keeps only the addresses
   * this policy allows (all of them for an allowed host name), so the socket can only reach those.
   */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const allowedHost = this.hosts.has(hostname.replace(/\.$/, '').toLowerCase());
    this.resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const usable = allowedHost ? addresses : addresses.filter((entry) => this.addressAllowed(entry.address));
      if (usable.length === 0) return callback(new OutboundDeniedError('resolves only to internal or reserved addresses'), []);
      if (options.all) return callback(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}
