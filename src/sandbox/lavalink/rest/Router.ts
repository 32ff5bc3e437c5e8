import { PathRouter } from '../../http/PathRouter.js';
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

/** The router of this server's routes. */
export class Router extends PathRouter<LavalinkRoute> {}
