/**
 * Turns a Discord REST path (or a whole URL) into a low-cardinality route: snowflakes become `:id`, interaction and
 * webhook tokens `:token`, and the API version prefix is dropped, so `/api/v10/channels/81384788765712384/messages`
 * becomes `/channels/:id/messages`. Ids must never become metric attribute values.
 *
 * It runs on every REST request, so it walks the string once rather than parsing a `URL` and testing each segment
 * with regular expressions (a quarter of the cost).
 */
export function templateRoute(pathOrUrl: string): string {
  const end = pathEnd(pathOrUrl);
  let position = pathStart(pathOrUrl);
  let route = '';
  /** Non-empty segments read so far, the raw two before this one, and the last one written to the route. */
  let count = 0;
  let oneBack = '';
  let twoBack = '';
  let previousOut = '';
  while (position < end) {
    let next = pathOrUrl.indexOf('/', position);
    if (next === -1 || next > end) next = end;
    const raw = pathOrUrl.slice(position, next);
    position = next + 1;
    if (raw.length === 0) continue;
    const beforePrevious = twoBack;
    twoBack = oneBack;
    oneBack = raw;
    // `api`, then `v10`, may open the path; they are not part of the route.
    const segment = count++;
    const opening = segment === 0 || (segment === 1 && twoBack === 'api');
    if (opening && ((segment === 0 && raw === 'api') || isVersion(raw))) continue;
    const part = raw.includes('%') ? safeDecode(raw) : raw;
    let out: string;
    if (isSnowflake(part)) out = ':id';
    // Interaction and webhook tokens follow an id in /interactions/{id}/{token} and /webhooks/{id}/{token}.
    else if ((beforePrevious === 'interactions' || beforePrevious === 'webhooks') && previousOut === ':id') {
      out = ':token';
    } else if (part.length > 32 || !isPlainSegment(part)) out = ':param';
    else out = part;
    route += `/${out}`;
    previousOut = out;
  }
  return route === '' ? '/' : route;
}

/** Where the path begins: after `scheme://host[:port]` in a URL, else at 0. */
function pathStart(value: string): number {
  const scheme = value.indexOf('://');
  if (scheme === -1 || scheme > value.indexOf('/')) return 0;
  const slash = value.indexOf('/', scheme + 3);
  return slash === -1 ? value.length : slash;
}

/** Where the path ends: at the query string or fragment. */
function pathEnd(value: string): number {
  const query = value.indexOf('?');
  const hash = value.indexOf('#');
  const cut = query === -1 ? hash : hash === -1 ? query : Math.min(query, hash);
  return cut === -1 ? value.length : cut;
}

function isVersion(segment: string): boolean {
  if (segment.length < 2 || segment.charCodeAt(0) !== 118 /* v */) return false;
  for (let i = 1; i < segment.length; i++) if (!isDigit(segment.charCodeAt(i))) return false;
  return true;
}

/** Five or more digits: a snowflake (or another numeric id). */
function isSnowflake(segment: string): boolean {
  if (segment.length < 5) return false;
  for (let i = 0; i < segment.length; i++) if (!isDigit(segment.charCodeAt(i))) return false;
  return true;
}

/** Only `A-Z a-z 0-9 @ _ . -`: a fixed segment such as `messages` or `@me`, never free text. */
function isPlainSegment(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter && !isDigit(c) && c !== 64 && c !== 95 && c !== 46 && c !== 45) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
