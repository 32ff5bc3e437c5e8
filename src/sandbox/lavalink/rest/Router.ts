/** HTTP methods the Lavalink REST API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a route handler receives. */
export interface LavalinkRouteRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** What a route handler answers: JSON (`body`), plain text (`text`), or nothing (204). */
export interface LavalinkRouteResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly text?: string;
}

/** One REST route, e.g. `{ method: 'GET', pattern: '/v4/sessions/:sessionId/players' }`. */
export interface LavalinkRoute {
  readonly method: HttpMethod;
  readonly pattern: string;
  handle(request: LavalinkRouteRequest): LavalinkRouteResponse | Promise<LavalinkRouteResponse>;
}

/** A route matched against a path, or why none matched. */
export interface RouteLookup {
  readonly match?: { readonly route: LavalinkRoute; readonly params: Record<string, string> };
  /** True when the path exists with other methods (405 rather than 404). */
  readonly methodMismatch: boolean;
}

/** A small path router; `:name` segments capture parameters. */
export class Router {
  readonly #routes: { route: LavalinkRoute; segments: string[] }[] = [];

  public constructor(routes: Iterable<LavalinkRoute>) {
    for (const route of routes) this.#routes.push({ route, segments: route.pattern.split('/').filter(Boolean) });
  }

  public match(method: string, path: string): RouteLookup {
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
