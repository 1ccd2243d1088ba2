import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * A plain web page running Segment's browser library (analytics-next, the standalone UMD build
 * the devDependency @segment/analytics-next ships) with Engage as its "CDN" and tracking API,
 * served from its own 127.0.0.1 port so that every call to Engage is cross-origin, as on a real
 * customer site. Drive it with Playwright: `await page.evaluate(() => window.analytics.track(...))`
 * (calls made before settings arrive are buffered; the promise settles after one delivery attempt
 * and does NOT say whether it succeeded: look at what Engage stored).
 *
 * What the page expects Engage to serve (analytics-next 1.84, observed in Chromium):
 * - `GET {engageBaseUrl}/v1/projects/{writeKey}/settings`: 200 JSON, at least
 *   `{"integrations":{"Segment.io":{"apiKey":"<writeKey>"}},"metrics":{"sampleRate":0}}`.
 *   `apiKey` is what the library copies into each message's `writeKey` (and the Authorization
 *   header); without it messages carry no write key. `sampleRate: 0` turns off its usage counters
 *   (POST /v1/m every 30 s). Any other integration, `remotePlugins`, `enabledMiddleware`,
 *   `middlewareSettings.routingRules` or `legacyVideoPluginsEnabled` makes it load code from a CDN.
 * - `POST {engageBaseUrl}/v1/{p,t,i,a,g,s}` (or `/v1/b` with `batching`): `Content-Type: text/plain`,
 *   body one JSON message (or `{writeKey, batch: [...], sentAt}`), header
 *   `Authorization: Basic base64(writeKey + ":")`. Any status < 400 counts as delivered.
 * - CORS: `Access-Control-Allow-Origin` (`*` is fine, no credentials are sent) on the settings
 *   GET, the POSTs and the preflights; the Authorization header makes every POST preflighted, so
 *   `OPTIONS /v1/*` must answer 2xx with `Access-Control-Allow-Headers: authorization, x-retry-count`
 *   (retries add X-Retry-Count). A POST whose response lacks the CORS header fails in the browser
 *   even though Engage handled it, so the library re-sends it (same messageId).
 * Engage serves no JavaScript: the library and its lazy chunks come from this page's server.
 */
export interface AnalyticsJsPageOptions {
  /** Where Engage listens, e.g. `http://127.0.0.1:3000`. */
  engageBaseUrl: string;
  writeKey: string;
  /** Use the batching dispatcher (one POST /v1/b) instead of one POST per message. */
  batching?: boolean;
}

export interface AnalyticsJsPage {
  /** The page's address; append a query string (e.g. `?ajs_uid=...`) if a test needs one. */
  url: string;
  close(): Promise<void>;
}

const UMD_DIR = join(dirname(require.resolve('@segment/analytics-next/package.json')), 'dist', 'umd');
// webpack loads lazy chunks from `${window.analytics._cdn}/analytics-next/bundles/`, fixed when
// index.js runs; the page points _cdn at itself, so the library lives under the same path here.
const BUNDLES = '/analytics-next/bundles/';
// index.js (global `AnalyticsNext`) and its chunks, e.g. queryString.bundle.<hash>.js (loaded
// when the page URL has ajs_* parameters). Nothing else is served: no path tricks.
const UMD_FILE = /^(index\.js|[\w-]+\.bundle\.[0-9a-f]+\.js)$/;

/** JSON safe to put inside a <script> element. */
const inline = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function html(options: AnalyticsJsPageOptions): string {
  const engage = new URL(options.engageBaseUrl);
  const base = `${engage.host}${engage.pathname.replace(/\/+$/, '')}`;
  const segmentIo: Record<string, unknown> = {
    // Events go to `${protocol}://${apiHost}/{p,t,i,...}`; given here rather than trusted from the
    // settings because the library's usage counters take their host and protocol only from here.
    apiHost: `${base}/v1`,
    protocol: engage.protocol === 'https:' ? 'https' : 'http',
  };
  if (options.batching) segmentIo.deliveryStrategy = { strategy: 'batching', config: { size: 10, timeout: 200 } };
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Engage analytics.js test page</title>
<script>window.analytics = { _cdn: location.origin };</script>
<script src="${BUNDLES}index.js"></script>
<script>
  window.analytics = AnalyticsNext.AnalyticsBrowser.load(
    { writeKey: ${inline(options.writeKey)}, cdnURL: ${inline(`${engage.protocol}//${base}`)} },
    { integrations: { 'Segment.io': ${inline(segmentIo)} } }
  );
</script>
</head><body><h1>Engage analytics.js test page</h1></body></html>
`;
}

/** Serves the test page and analytics.js on 127.0.0.1 (a free port); see the notes above. */
export async function startAnalyticsJsPage(options: AnalyticsJsPageOptions): Promise<AnalyticsJsPage> {
  const page = html(options);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://page').pathname;
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const file = path.startsWith(BUNDLES) ? path.slice(BUNDLES.length) : '';
    if (UMD_FILE.test(file)) {
      const body = await readFile(join(UMD_DIR, file)).catch(() => undefined);
      if (body) {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(body);
        return;
      }
    }
    res.writeHead(404).end();
  };
  const server = createServer((req, res) => void handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
