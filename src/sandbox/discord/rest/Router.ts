import type { UploadedFile } from '../state/MessageBody.js';

/** HTTP methods the REST API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route handler receives. */
export interface RouteRequest {
  readonly method: HttpMethod;
  /** Path below `/api/v10`, without the query string. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly files: readonly UploadedFile[];
}

/** What a route handler answers: a status and, unless 204, a JSON body. */
export interface RouteResponse {
  readonly status: number;
  readonly body?: unknown;
}

/** One REST route, e.g. `{ method: 'GET', pattern: '/channels/:channelId' }`. */
export interface RouteDefinition {
  readonly method: HttpMethod;
  readonly pattern: string;
  /** False for interaction callbacks and token webhooks, which Discord serves without a bot token. */
  readonly auth: boolean;
  /** The route parameter Discord scopes rate limits by (channel, guild, webhook). */
  readonly majorParameter?: string;
  handle(request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

/** A route matched against a path. */
export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly params: Record<string, string>;
}

/** A small path router; `:name` segments capture parameters. */
export class Router {
  readonly #routes: { route: RouteDefinition; segments: string[] }[] = [];

  public constructor(routes: Iterable<RouteDefinition>) {
    for (const route of routes) this.#routes.push({ route, segments: route.pattern.split('/').filter(Boolean) });
  }

  /**
   * The route for `method path`; `methodMismatch` is true when the path exists with other methods,
   * so the server can answer 405 like Discord does.
   */
  public match(method: string, path: string): { match?: RouteMatch; methodMismatch: boolean } {
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
