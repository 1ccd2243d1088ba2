/**
 * A URL as logs may show it: no query string (a beacon's ?key=, anything a client put there), and
 * no key in the one path that carries one (analytics.js's settings, /v1/projects/{writeKey}/settings).
 */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path.replace(/^(\/v1\/projects\/)[^/]+/i, '$1:writeKey');
}
