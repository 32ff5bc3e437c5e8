/** What a {@link PathRouter} routes: anything with a method and a path pattern whose `:name` segments capture. */
export interface RoutePattern {
  readonly method: string;
  readonly pattern: string;
}

/** A route matched against a path, or why none matched. */
export interface PathLookup<R extends RoutePattern> {
  readonly match?: { readonly route: R; readonly params: Record<string, string> };
  /** True when the path exists with other methods, so the server can answer 405 rather than 404. */
  readonly methodMismatch: boolean;
}

/** The small path router both sandbox servers (Discord REST, Lavalink REST) share. */
export class PathRouter<R extends RoutePattern> {
  readonly #routes: { route: R; segments: string[] }[] = [];

  public constructor(routes: Iterable<R>) {
    for (const route of routes) this.#routes.push({ route, segments: route.pattern.split('/').filter(Boolean) });
  }

  public match(method: string, path: string): PathLookup<R> {
    const parts = path.split('/').filter(Boolean);
    let methodMismatch = false;
    for (const { route, segments } of this.#routes) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method === method) return { match: { route, params }, methodMismatch: false };
      methodMismatch = true;
    }
    return { methodMismatch };
  }
}

function matchSegments(segments: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(part);
    else if (segment !== part) return undefined;
  }
  return params;
}
