/** A URL without its query string: a beacon's ?key= (or anything a client put there) never reaches a log. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
