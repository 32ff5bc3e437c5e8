import { PathRouter } from '../../http/PathRouter.js';
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
  /**
   * The route parameter Discord scopes rate limits by (channel, guild, webhook), or several whose values are joined
   * with '/' (an interaction webhook is limited per application id and token, as @discordjs/rest keys it).
   */
  readonly majorParameter?: string | readonly string[];
  handle(request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

/** The value a request's bucket is counted under: its major parameters' values, or 'global' without them. */
export function majorValue(route: RouteDefinition, params: Readonly<Record<string, string>>): string {
  if (route.majorParameter === undefined) return 'global';
  const names = typeof route.majorParameter === 'string' ? [route.majorParameter] : route.majorParameter;
  const values = names.map((name) => params[name]);
  return values.every((value) => value !== undefined) ? values.join('/') : 'global';
}

/** The router of this server's routes. */
export class Router extends PathRouter<RouteDefinition> {}
