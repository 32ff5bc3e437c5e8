import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { LavalinkApiError, LavalinkErrors } from './LavalinkApiError.js';
import { type HttpMethod, type LavalinkRoute, type LavalinkRouteResponse, Router } from './Router.js';
import { readJsonBody } from './readJsonBody.js';

/** One REST request as the sandbox saw and answered it. */
export interface LavalinkRequestLogEntry {
  readonly method: string;
  /** The path without the query string, e.g. `/v4/sessions/abc/players/123`. */
  readonly path: string;
  /** The matched route pattern, e.g. `/v4/sessions/:sessionId/players/:guildId`; null when none matched. */
  readonly route: string | null;
  readonly query: string;
  readonly status: number;
  /** The parsed JSON request body, if any. */
  readonly body: unknown;
  /** The answer's JSON body (or text), if any. */
  readonly response: unknown;
  /** Request start, wall-clock ms since the epoch. */
  readonly at: number;
  readonly durationMs: number;
}

/** What the REST server is built from. */
export interface LavalinkRestServerInit {
  readonly password: string;
  readonly routes: Iterable<LavalinkRoute>;
  /** Extra latency before answering (`SandboxLavalink.slow`). */
  latencyMs(): number;
  /** Timestamps of error bodies, from the node's clock. */
  now(): number;
  /** Runs before a route: time events that are due happen first, so answers reflect the clock. */
  beforeRoute(): void;
  /** Runs after every answer. */
  afterRoute(): void;
  onRequest(entry: LavalinkRequestLogEntry): void;
  /** Unexpected handler errors; answered with a 500 like Lavalink's. */
  onError(error: unknown): void;
}

/** Lavalink's REST API: password check, routing, error bodies, the `Lavalink-Api-Version` header. */
export class LavalinkRestServer {
  readonly #router: Router;

  public constructor(private readonly init: LavalinkRestServerInit) {
    this.#router = new Router(init.routes);
  }

  public async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    let body: unknown;
    let route: string | null = null;
    let answer: LavalinkRouteResponse;
    try {
      body = await readJsonBody(request);
      const latency = this.init.latencyMs();
      if (latency > 0) await sleep(latency);
      if (request.headers.authorization !== this.init.password) throw LavalinkErrors.unauthorized();
      const { match, methodMismatch } = this.#router.match(method, url.pathname);
      if (!match) throw methodMismatch ? LavalinkErrors.methodNotAllowed() : LavalinkErrors.notFound();
      route = match.route.pattern;
      this.init.beforeRoute();
      answer = await match.route.handle({
        method: method as HttpMethod,
        path: url.pathname,
        params: match.params,
        query: url.searchParams,
        body,
      });
    } catch (error) {
      if (!(error instanceof LavalinkApiError)) this.init.onError(error);
      const apiError = error instanceof LavalinkApiError ? error : LavalinkErrors.internal('Internal Server Error');
      const withTrace = url.searchParams.get('trace') === 'true';
      answer = { status: apiError.status, body: apiError.toBody(url.pathname, this.init.now(), withTrace) };
    }
    this.init.afterRoute();
    this.#send(response, answer);
    this.init.onRequest({
      method,
      path: url.pathname,
      route,
      query: url.search,
      status: answer.status,
      body,
      response: answer.body ?? answer.text,
      at,
      durationMs: Date.now() - at,
    });
  }

  #send(response: ServerResponse, answer: LavalinkRouteResponse): void {
    if (response.destroyed) return;
    const headers: Record<string, string> = { 'Lavalink-Api-Version': '4' };
    let payload: string | undefined;
    if (answer.text !== undefined) {
      payload = answer.text;
      headers['Content-Type'] = 'text/plain;charset=UTF-8';
    } else if (answer.body !== undefined && answer.status !== 204) {
      payload = JSON.stringify(answer.body);
      headers['Content-Type'] = 'application/json';
    }
    if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
    response.writeHead(answer.status, headers);
    response.end(payload);
  }
}
