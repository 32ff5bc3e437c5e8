import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CheckRunner, type Settled } from './CheckRunner.js';
import type { CheckOutcome, HealthCheck } from './HealthCheck.js';
import { type HealthRoute, parseHealthRoute, UnmatchedPath } from './parseHealthRoute.js';
import { renderHealthz } from './renderHealthz.js';
import { type ProbeKind, renderProbe } from './renderProbe.js';

/** Configuration of a {@link HealthServer}. */
export interface HealthServerOptions {
  readonly host: string;
  /** 0 picks a free port; read the one chosen from `listen()` or `port`. */
  readonly port: number;
  /** Checks behind `/livez`: only conditions a restart would fix (stalled event loop, stuck heartbeat). */
  readonly liveness: HealthCheck[];
  /** Checks behind `/readyz`; a `shutdown` check is appended by the server. */
  readonly readiness: HealthCheck[];
  /** Extra top-level fields of `/healthz` (shards, nodes, players, db, exporter state); run under the check timeout. */
  readonly details?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Time each check (and `details`) may take before it counts as failed with reason `timed out`. Default 2000. */
  readonly checkTimeoutMs?: number;
  /** Scrubs secrets from every reason, detail and details string before it is sent. Default: identity. */
  readonly redact?: (text: string) => string;
  /**
   * Called after each answer, e.g. to count probes. `path` is the request path for known endpoints and checks and
   * `<unmatched>` otherwise, so arbitrary URLs cannot blow up a metric's cardinality. Errors thrown are reported to
   * `onError`, never to the client.
   */
  readonly onRequest?: (path: string, status: number) => void;
  /** Receives errors the server cannot answer with: socket errors after `listen()`, broken hooks. Default: ignore. */
  readonly onError?: (error: unknown) => void;
}

/** Defaults merged under the given options. */
export const DefaultHealthServerOptions = {
  checkTimeoutMs: 2_000,
  redact: (text: string): string => text,
} satisfies Required<Pick<HealthServerOptions, 'checkTimeoutMs' | 'redact'>>;

/** Name of the readiness check that fails once {@link HealthServer.beginShutdown} has been called. */
export const ShutdownCheckName = 'shutdown';

const CheckNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const AllowedMethods = 'GET, HEAD';

/**
 * The Kubernetes probe server (DESIGN.md, "Health server"): `/livez`, `/readyz` and their `/<check>` forms in the
 * kube-apiserver text format, and `/healthz` as JSON for humans. It runs on its own port so probes keep working when
 * the bot's other listeners are busy or misconfigured.
 */
export class HealthServer implements AsyncDisposable {
  readonly #options: HealthServerOptions & Required<Pick<HealthServerOptions, 'checkTimeoutMs' | 'redact'>>;
  readonly #liveness: readonly HealthCheck[];
  readonly #readiness: readonly HealthCheck[];
  readonly #all: readonly HealthCheck[];
  readonly #runner: CheckRunner;
  readonly #server: Server;
  #shuttingDown = false;
  #port: number | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: HealthServerOptions) {
    this.#options = { ...DefaultHealthServerOptions, ...withoutUndefined(options) };
    const shutdown: HealthCheck = {
      name: ShutdownCheckName,
      check: () => (this.#shuttingDown ? { ok: false, reason: 'shutting down' } : { ok: true }),
    };
    this.#liveness = [...options.liveness];
    this.#readiness = [...options.readiness, shutdown];
    this.#all = [...validateChecks(options.liveness, options.readiness), shutdown];
    this.#runner = new CheckRunner({ timeoutMs: this.#options.checkTimeoutMs, redact: this.#options.redact });
    this.#server = createServer((request, response) => void this.#answer(request, response));
    // Probes are tiny; a client that dribbles headers is not a kubelet and should not hold a socket.
    this.#server.headersTimeout = 5_000;
    this.#server.requestTimeout = 10_000;
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<{ port: number }> {
    if (this.#port !== undefined || this.#closing) throw new Error('HealthServer.listen() may be called only once');
    const server = this.#server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.#options.host, port: this.#options.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.#report(error));
    const address = server.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : this.#options.port;
    return { port: this.#port };
  }

  /** The bound port. Throws before `listen()` has resolved. */
  get port(): number {
    if (this.#port === undefined) throw new Error('HealthServer is not listening');
    return this.#port;
  }

  /** Fails readiness from now on (check `shutdown`, reason `shutting down`) while liveness keeps passing. */
  beginShutdown(): void {
    this.#shuttingDown = true;
  }

  /** Stops listening, drops open connections and aborts running checks. Safe to call more than once. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#runner.abortAll();
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
      // Keep-alive sockets from earlier probes would otherwise hold close() open for their idle timeout.
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Probes carry no body; draining lets the socket be reused.
    request.resume();
    let path = UnmatchedPath;
    try {
      const route = parseHealthRoute(request.url ?? '/');
      path = route?.path ?? UnmatchedPath;
      if (route === undefined) return this.#send(response, path, 404, 'text', 'not found');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return this.#send(response, path, 405, 'text', 'method not allowed', { Allow: AllowedMethods });
      }
      await this.#route(route, response);
    } catch (error) {
      this.#report(error);
      if (!response.headersSent) this.#send(response, path, 500, 'text', 'internal error');
    }
  }

  async #route(route: HealthRoute, response: ServerResponse): Promise<void> {
    if (route.endpoint === 'healthz') {
      const { status, body } = await this.#healthz();
      return this.#send(response, route.path, status, 'json', body);
    }
    const checks = route.endpoint === 'livez' ? this.#liveness : this.#readiness;
    if (route.check === undefined) {
      const outcomes = await this.#runner.runAll(checks);
      const answer = renderProbe(route.endpoint, outcomes, { verbose: route.verbose, withholdReasons: !route.verbose });
      return this.#send(response, route.path, answer.status, 'text', answer.body);
    }
    const check = checks.find((candidate) => candidate.name === route.check);
    if (check === undefined) return this.#send(response, UnmatchedPath, 404, 'text', 'not found');
    const answer = await this.#single(route.endpoint, check, route.verbose);
    return this.#send(response, route.path, answer.status, 'text', answer.body);
  }

  /** Someone who asks for one check by name wants to know why it fails, so its reason is never withheld. */
  async #single(kind: ProbeKind, check: HealthCheck, verbose: boolean): Promise<{ status: 200 | 503; body: string }> {
    const outcome = await this.#runner.run(check);
    return renderProbe(kind, [outcome], { verbose, withholdReasons: false });
  }

  async #healthz(): Promise<{ status: 200 | 503; body: string }> {
    const details = this.#options.details;
    const [outcomes, detailResult] = await Promise.all([
      this.#runner.runAll(this.#all),
      details ? this.#runner.settle(details, () => details()) : Promise.resolve(undefined),
    ]);
    const ready = this.#readiness.every((check) => outcomeOf(outcomes, check.name)?.ok === true);
    const body = renderHealthz({
      ready,
      uptimeSeconds: Math.floor(process.uptime()),
      outcomes,
      details: detailResult as Settled<Record<string, unknown>> | undefined,
      redact: this.#options.redact,
    });
    return { status: ready ? 200 : 503, body };
  }

  #send(
    response: ServerResponse,
    path: string,
    status: number,
    type: 'text' | 'json',
    body: string,
    headers: Record<string, string> = {},
  ): void {
    response.writeHead(status, {
      'Content-Type': type === 'json' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    // Node drops the body itself for HEAD and keeps Content-Length, which is what HEAD should report.
    response.end(body);
    this.#notify(path, status);
  }

  #notify(path: string, status: number): void {
    try {
      this.#options.onRequest?.(path, status);
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // The error hook is the last resort; if it breaks too, the probe answer must still go out.
    }
  }
}

function outcomeOf(outcomes: readonly CheckOutcome[], name: string): CheckOutcome | undefined {
  return outcomes.find((outcome) => outcome.name === name);
}

/**
 * Rejects names that cannot be addressed as `/readyz/<name>` and names used twice. A check object may appear in both
 * lists (a heartbeat can matter to both probes); two different checks may not share a name, or `/healthz` would
 * report only one of them.
 */
function validateChecks(liveness: readonly HealthCheck[], readiness: readonly HealthCheck[]): HealthCheck[] {
  if ([...liveness, ...readiness].some((check) => check.name === ShutdownCheckName)) {
    throw new RangeError(`The health check name '${ShutdownCheckName}' is reserved for the server`);
  }
  const byName = new Map<string, HealthCheck>();
  for (const list of [liveness, readiness]) {
    const seen = new Set<string>();
    for (const check of list) {
      if (!CheckNamePattern.test(check.name)) throw new RangeError(`Invalid health check name '${check.name}'`);
      if (seen.has(check.name)) throw new RangeError(`Duplicate health check name '${check.name}'`);
      seen.add(check.name);
      const known = byName.get(check.name);
      if (known !== undefined && known !== check) {
        throw new RangeError(`Two different health checks are named '${check.name}'`);
      }
      byName.set(check.name, check);
    }
  }
  return [...byName.values()];
}

/** Lets `{ checkTimeoutMs: undefined }` mean "use the default" instead of overwriting it. */
function withoutUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}
