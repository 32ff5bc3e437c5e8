import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiErrors, DiscordApiError } from './DiscordApiError.js';
import type { FaultInjector, InjectedFault } from './FaultInjector.js';
import { RateLimiter, type RateLimitPolicy, seconds } from './RateLimiter.js';
import { type HttpMethod, majorValue, type RouteDefinition, type RouteResponse, Router } from './Router.js';
import { readRequestBody } from './readRequestBody.js';

/** One REST request as the sandbox saw and answered it. */
export interface SandboxRequestLogEntry {
  readonly method: string;
  /** Path below `/api/v10`, without the query string. */
  readonly path: string;
  /** The matched route pattern, e.g. `/channels/:channelId/messages`; null for unknown routes. */
  readonly route: string | null;
  readonly query: string;
  readonly status: number;
  /** Request start, ms since the epoch. */
  readonly at: number;
  readonly durationMs: number;
  readonly body: unknown;
  /** Set when the answer came from `rateLimitNext` or `failNext`. */
  readonly injected?: InjectedFault['kind'];
}

/** What the REST server is built from. */
export interface RestServerInit {
  readonly token: string;
  readonly routes: Iterable<RouteDefinition>;
  readonly faults: FaultInjector;
  readonly rateLimit: RateLimitPolicy;
  onRequest(entry: SandboxRequestLogEntry): void;
  /** Unexpected handler errors; they are answered with a 500 like Discord's. */
  onError(error: unknown): void;
}

const SUPPORTED_VERSIONS = new Set(['9', '10']);

interface Answer extends RouteResponse {
  readonly headers?: Record<string, string>;
}

/** Discord's REST API under `/api/v10`: routing, bot-token auth, rate-limit headers and injected faults. */
export class RestServer {
  readonly #router: Router;
  readonly #limiter: RateLimiter;

  public constructor(private readonly init: RestServerInit) {
    this.#router = new Router(init.routes);
    this.#limiter = new RateLimiter(init.rateLimit);
  }

  /** Handles a request whose path starts with `/api`. */
  public async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    const versioned = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(url.pathname);
    const path = versioned?.[2] ?? '/';
    let body: unknown;
    let routePattern: string | null = null;
    let injected: InjectedFault['kind'] | undefined;
    let answer: Answer;
    try {
      if (versioned?.[1] !== undefined && !SUPPORTED_VERSIONS.has(versioned[1])) {
        throw new DiscordApiError(400, 50041, 'Invalid API version provided.');
      }
      const parsed = await readRequestBody(request);
      body = parsed.body;
      const fault = this.init.faults.take(method, path);
      const { match, methodMismatch } = this.#router.match(method, path);
      routePattern = match?.route.pattern ?? null;
      if (fault) {
        injected = fault.kind;
        answer = this.#injected(fault, method, routePattern ?? path);
      } else if (!match) {
        throw methodMismatch ? ApiErrors.methodNotAllowed() : ApiErrors.notFound();
      } else {
        const { route, params } = match;
        if (route.auth && request.headers.authorization !== `Bot ${this.init.token}`) throw ApiErrors.unauthorized();
        const decision = this.#limiter.take(method, route.pattern, majorValue(route, params));
        if (decision.retryAfterMs !== undefined) {
          answer = this.#tooManyRequests(decision.retryAfterMs, false, 'user', decision.headers);
        } else {
          const result = await route.handle({
            method: method as HttpMethod,
            path,
            params,
            query: url.searchParams,
            body,
            files: parsed.files,
          });
          answer = { ...result, headers: decision.headers };
        }
      }
    } catch (error) {
      if (!(error instanceof DiscordApiError)) this.init.onError(error);
      const apiError =
        error instanceof DiscordApiError ? error : new DiscordApiError(500, 0, '500: Internal Server Error');
      answer = { status: apiError.status, body: apiError.toBody() };
    }
    this.#send(response, answer);
    this.init.onRequest({
      method,
      path,
      route: routePattern,
      query: url.search,
      status: answer.status,
      at,
      durationMs: Date.now() - at,
      body,
      ...(injected ? { injected } : {}),
    });
  }

  #injected(fault: InjectedFault, method: string, pattern: string): Answer {
    if (fault.kind === 'failure') {
      return {
        status: fault.status,
        body: fault.body ?? { message: `${fault.status}: Internal Server Error`, code: 0 },
      };
    }
    const global = fault.global ?? false;
    const scope = fault.scope ?? (global ? 'global' : 'user');
    // A global limit is not tied to a bucket, so Discord sends no bucket headers with it.
    const headers = global ? {} : this.#limiter.exhaustedHeaders(method, pattern, fault.retryAfterMs);
    return this.#tooManyRequests(fault.retryAfterMs, global, scope, headers);
  }

  #tooManyRequests(retryAfterMs: number, global: boolean, scope: string, headers: Record<string, string>): Answer {
    return {
      status: 429,
      headers: {
        ...headers,
        // Discord rounds Retry-After up to whole seconds; the sandbox keeps milliseconds so tests stay fast.
        'Retry-After': seconds(retryAfterMs),
        'X-RateLimit-Scope': scope,
        ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfterMs / 1000, global },
    };
  }

  #send(response: ServerResponse, answer: Answer): void {
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.status === 204 || answer.body === undefined) {
      response.writeHead(answer.status, headers);
      response.end();
      return;
    }
    const payload = JSON.stringify(answer.body);
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    response.writeHead(answer.status, headers);
    response.end(payload);
  }
}
