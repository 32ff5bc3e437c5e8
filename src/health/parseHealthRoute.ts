/** What `onRequest` receives for a path that names no endpoint or check. */
export const UnmatchedPath = '<unmatched>';

/** A request path the health server knows how to answer. */
export type HealthRoute =
  | { readonly endpoint: 'healthz'; readonly path: string }
  | {
      readonly endpoint: 'livez' | 'readyz';
      readonly path: string;
      /** Set for `/livez/<check>` and `/readyz/<check>`. */
      readonly check?: string;
      readonly verbose: boolean;
    };

/**
 * Maps a request target to a route, or `undefined` for a path that is not an endpoint. Whether the named check
 * exists is the server's business. A trailing slash is tolerated (`/readyz/` is `/readyz`).
 */
export function parseHealthRoute(target: string): HealthRoute | undefined {
  let url: URL;
  try {
    // The base only exists to parse origin-form targets; the host is never looked at.
    url = new URL(target, 'http://health.invalid');
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').slice(1);
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  const [endpoint, check, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (endpoint === 'healthz') return check === undefined ? { endpoint, path: '/healthz' } : undefined;
  if (endpoint !== 'livez' && endpoint !== 'readyz') return undefined;
  const verbose = url.searchParams.has('verbose');
  if (check === undefined) return { endpoint, path: `/${endpoint}`, verbose };
  const name = decode(check);
  if (name === undefined || name === '') return undefined;
  return { endpoint, path: `/${endpoint}/${name}`, check: name, verbose };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
