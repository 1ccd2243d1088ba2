import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

interface AssetFile {
  file: string;
  type: string;
  /** Served only with the demo page on (DEMO_PAGE is not off). */
  demo?: boolean;
  /** The page itself is revalidated every time, so a new build shows at once. */
  cacheControl?: string;
}

/** The browser assets the service serves, by URL path; the build writes them to dist/public. */
const ASSETS: Record<string, AssetFile> = {
  '/tracker.js': { file: 'tracker.js', type: 'text/javascript; charset=utf-8' },
  '/tracker.mjs': { file: 'tracker.mjs', type: 'text/javascript; charset=utf-8' },
  '/': { file: 'index.html', type: 'text/html; charset=utf-8', demo: true, cacheControl: 'no-cache' },
  '/demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8', demo: true },
  '/demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8', demo: true },
};

interface Asset {
  body: Buffer;
  etag: string;
  type: string;
  cacheControl: string;
}

/** dist/public: beside the compiled sources, or (tests run the sources) in the built dist/. */
function publicDir(): string | null {
  const candidates = [join(__dirname, '..', '..', '..', 'public'), join(__dirname, '..', '..', '..', 'dist', 'public')];
  return candidates.find((dir) => existsSync(dir)) ?? null;
}

/**
 * Serves the browser tracker (`/tracker.js`, `/tracker.mjs`) and, unless `demo` is false, the demo
 * page at `/` with its script and styles, from memory: read once at boot, so a request costs no
 * file system call, and only these paths are looked at, so every other request passes straight
 * on. Any site may load them: they carry no secret (Cross-Origin-Resource-Policy cross-origin,
 * where helmet's default would refuse a script tag on another origin).
 */
export function browserAssetsMiddleware(demo = true): (request: Request, response: Response, next: NextFunction) => void {
  const dir = publicDir();
  const assets = new Map<string, Asset>();
  for (const [path, asset] of Object.entries(ASSETS)) {
    if (!dir || !existsSync(join(dir, asset.file)) || (asset.demo && !demo)) continue;
    const body = readFileSync(join(dir, asset.file));
    assets.set(path, {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      type: asset.type,
      cacheControl: asset.cacheControl ?? 'public, max-age=300',
    });
  }
  return (request, response, next) => {
    const asset = assets.get(request.path);
    if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    response.setHeader('Content-Type', asset.type);
    response.setHeader('Cache-Control', asset.cacheControl);
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('ETag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) {
      response.status(304).end();
      return;
    }
    response.setHeader('Content-Length', asset.body.length);
    response.status(200).end(request.method === 'HEAD' ? undefined : asset.body);
  };
}
