import type { Request } from 'express';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Whether a request comes straight from a browser on this machine: a loopback peer and no proxy
 * header (a reverse proxy on the same machine forwards others' requests, and says so). What
 * DEMO_PAGE=local opens the demo to: the new user trying Engage on their own computer.
 */
export function isDirectLocal(request: Pick<Request, 'socket' | 'headers'>): boolean {
  const peer = request.socket.remoteAddress ?? '';
  const proxied = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((header) => request.headers[header] !== undefined);
  return LOOPBACK.test(peer) && !proxied;
}
