import { isbot } from 'isbot';
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

/** Browser, OS and device type from a User-Agent (ua-parser-js, MIT v1), and whether it is a known bot (isbot). */
export function parseUserAgent(userAgent: string | null): ParsedUserAgent {
  if (!userAgent) return { browser: null, browser_version: null, os: null, os_version: null, device_type: null, is_bot: false };
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
