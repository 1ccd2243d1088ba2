import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** The browser assets the service serves, by URL path; the build writes them to dist/public. */
const ASSETS: Record<string, string> = {
  '/tracker.js': 'tracker.js',
  '/tracker.mjs': 'tracker.mjs',
};

interface Asset {
  body: Buffer;
  etag: string;
}

/** dist/public: beside the compiled sources, or (tests run the sources) in the built dist/. */
function publicDir(): string | null {
  const candidates = [join(__dirname, '..', '..', '..', 'public'), join(__dirname, '..', '..', '..', 'dist', 'public')];
  return candidates.find((dir) => existsSync(dir)) ?? null;
}

/**
 * Serves the browser tracker (`/tracker.js`, `/tracker.mjs`) from memory: read once at boot, so a
 * request costs no file system call, and only these paths are looked at, so every other request
 * passes straight on. Any site may load them: they carry no secret (Cross-Origin-Resource-Policy
 * cross-origin, where helmet's default would refuse a script tag on another origin).
 */
export function browserAssetsMiddleware(): (request: Request, response: Response, next: NextFunction) => void {
  const dir = publicDir();
  const assets = new Map<string, Asset>();
  for (const [path, file] of Object.entries(ASSETS)) {
    if (!dir || !existsSync(join(dir, file))) continue;
    const body = readFileSync(join(dir, file));
    assets.set(path, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
  }
  return (request, response, next) => {
    const asset = assets.get(request.path);
    if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    response.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    response.setHeader('Cache-Control', 'public, max-age=300');
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
