import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';

export interface ParsedUserAgent {
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  os_version: string | null;
  /** desktop, mobile, tablet, smarttv, wearable, console, embedded or bot; null with no user agent. */
  device_type: string | null;
  is_bot: boolean;
}

const NO_USER_AGENT: Readonly<ParsedUserAgent> = Object.freeze({
  browser: null,
  browser_version: null,
  os: null,
  os_version: null,
  device_type: null,
  is_bot: false,
});

/**
 * Parsed user agents by their text. A site's traffic comes from a few hundred distinct user agents,
 * and parsing one costs ~10 µs (ua-parser-js and isbot run dozens of regular expressions): a cache
 * hit costs a map lookup. Bounded in entries and key length, so odd or hostile user agents hold
 * about 2 MB at most.
 */
const parsed = new LRUCache<string, Readonly<ParsedUserAgent>>({ max: 2000 });

/**
 * Longer user agents are parsed but not cached: real ones are a few hundred characters, and a
 * header cut to its first 1,024 characters would keep the whole header alive as the cache key.
 */
const MAX_CACHED_LENGTH = 512;

/**
 * Browser, OS and device type from a User-Agent (ua-parser-js, MIT v1), and whether it is a known
 * bot (isbot). The result is shared between callers and frozen: copy it to change it.
 */
export function parseUserAgent(userAgent: string | null): Readonly<ParsedUserAgent> {
  if (!userAgent) return NO_USER_AGENT;
  if (userAgent.length > MAX_CACHED_LENGTH) return Object.freeze(parse(userAgent));
  let result = parsed.get(userAgent);
  if (result === undefined) {
    result = Object.freeze(parse(userAgent));
    parsed.set(userAgent, result);
  }
  return result;
}

function parse(userAgent: string): ParsedUserAgent {
  const bot = isbot(userAgent);
  const result = new UAParser(userAgent).getResult();
  return {
    browser: result.browser.name ?? null,
    browser_version: result.browser.version ?? null,
    os: result.os.name ?? null,
    os_version: result.os.version ?? null,
    // ua-parser-js leaves the type empty for desktops.
    device_type: bot ? 'bot' : (result.device.type ?? 'desktop'),
    is_bot: bot,
  };
}

/**
 * HTTP client libraries, server SDKs and native apps' HTTP stacks, by the names their default
 * User-Agents start with (CFNetwork, as iOS apps send it, comes after the app's own name).
 */
const PROGRAM_USER_AGENT = new RegExp(
  [
    '^(curl|node|undici|axios|got|node-fetch|python-requests|python-urllib|python-httpx|aiohttp|Go-http-client|okhttp|Java|Apache-HttpClient|',
    'PostmanRuntime|insomnia|HTTPie|Faraday|Ruby|rest-client|GuzzleHttp|Dart|RestSharp|Dalvik|analytics-[\\w.-]+|Segment)\\b',
    '|\\bCFNetwork/',
  ].join(''),
  'i',
);

/**
 * Whether a User-Agent is a program's rather than a browser's or a crawler's: curl, an HTTP
 * library, a server SDK, a native app's HTTP stack. Such a call is a backend relaying an event, a
 * developer trying the API, or an app whose library sends its own name: it says nothing of a
 * person's device, and isbot, which calls every one of them a bot, would drop real users (every
 * Android app speaks okhttp). Downloaders and crawlers (Wget, Scrapy, facebookexternalhit,
 * Googlebot) stay isbot's to judge.
 */
export function isProgramUserAgent(userAgent: string): boolean {
  return PROGRAM_USER_AGENT.test(userAgent);
}
