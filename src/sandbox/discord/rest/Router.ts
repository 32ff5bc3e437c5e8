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
  /** The route parameter Discord scopes rate limits by (channel, guild, webhook). */
  readonly majorParameter?: string;
  handle(request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}

/** The router of this server's routes. */
export class Router extends PathRouter<RouteDefinition> {}
