import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import { bindGrpcServer, closeGrpcServer, createOtlpGrpcServer } from './createOtlpGrpcServer.js';
import { createOtlpHttpHandler } from './createOtlpHttpHandler.js';
import { assertFailureStatus } from './exportFailureStatus.js';
import { loadOtlpCodecs } from './loadOtlpCodecs.js';
import { OTLP_SIGNALS, OtlpSink } from './OtlpSink.js';
import type { OtlpSignal, ReceivedLog, ReceivedMetric, ReceivedRequest, ReceivedSpan } from './ReceivedTelemetry.js';

/** Where the receiver listens. Port 0 (the default) picks a free port. */
export interface OtlpReceiverOptions {
  /** OTLP/gRPC port (collector default 4317). */
  grpcPort?: number;
  /** OTLP/HTTP port (collector default 4318). */
  httpPort?: number;
  /** Interface to bind both servers to. */
  host?: string;
  /** Folder with the opentelemetry-proto files; defaults to the vendored `test/support/otlp/proto`. */
  protoRoot?: string;
}

/** Options of {@link OtlpReceiver.waitFor}. */
export interface WaitForOptions {
  /** Give up after this long. */
  timeoutMs?: number;
  /** Poll this often. */
  intervalMs?: number;
  /** What is being waited for, for the timeout message. */
  description?: string;
}

/** Options of {@link OtlpReceiver.failWith}. */
export interface FailWithOptions {
  /** Fail only this many exports, then accept again. Default: until `failWith(signal, null)`. */
  times?: number;
  /** Error message sent back. */
  message?: string;
}

/** Values that make a `waitFor` predicate "done". */
export type Truthy<T> = Exclude<T, false | 0 | 0n | '' | null | undefined>;

const DEFAULTS = {
  grpcPort: 0,
  httpPort: 0,
  host: '127.0.0.1',
} as const satisfies OtlpReceiverOptions;

// Captured at load so that waitFor keeps polling in real time when a test fakes timers with `mock.timers`.
const realSetTimeout = globalThis.setTimeout;
const sleep = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

const WAIT_DEFAULTS = { timeoutMs: 10_000, intervalMs: 25 } as const satisfies WaitForOptions;

/**
 * An OTLP receiver for tests: the real OTLP exporters send to it over gRPC (metrics, logs, traces) and HTTP
 * (`/v1/traces`, `/v1/metrics`, `/v1/logs`, protobuf or JSON, optionally gzip), and it decodes what they send with
 * the opentelemetry-proto definitions into flat, assertion-friendly records.
 *
 * @example
 * ```ts
 * await using receiver = await OtlpReceiver.start();
 * const exporter = new OTLPTraceExporter({ url: receiver.tracesUrl });
 * // ... export ...
 * const span = await receiver.waitFor(() => receiver.spans().find((s) => s.name === 'command play'));
 * ```
 */
export class OtlpReceiver implements AsyncDisposable {
  /** Base URL for the gRPC exporters, e.g. `http://127.0.0.1:4317`. */
  readonly grpcEndpoint: string;
  /** Base URL of the OTLP/HTTP server, e.g. `http://127.0.0.1:4318`. */
  readonly httpEndpoint: string;
  /** `httpEndpoint + '/v1/traces'`: the URL for `OTLPTraceExporter({ url })`. */
  readonly tracesUrl: string;
  /** `httpEndpoint + '/v1/metrics'`. */
  readonly metricsUrl: string;
  /** `httpEndpoint + '/v1/logs'`. */
  readonly logsUrl: string;
  readonly grpcPort: number;
  readonly httpPort: number;

  readonly #sink: OtlpSink;
  readonly #grpcServer: GrpcServer;
  readonly #httpServer: HttpServer;
  #closing: Promise<void> | undefined;

  private constructor(sink: OtlpSink, grpc: GrpcServer, http: HttpServer, host: string, ports: [number, number]) {
    this.#sink = sink;
    this.#grpcServer = grpc;
    this.#httpServer = http;
    [this.grpcPort, this.httpPort] = ports;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    this.grpcEndpoint = `http://${urlHost}:${this.grpcPort}`;
    this.httpEndpoint = `http://${urlHost}:${this.httpPort}`;
    this.tracesUrl = `${this.httpEndpoint}/v1/traces`;
    this.metricsUrl = `${this.httpEndpoint}/v1/metrics`;
    this.logsUrl = `${this.httpEndpoint}/v1/logs`;
  }

  /** Starts the gRPC and HTTP servers and resolves once both listen. */
  static async start(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
    const { grpcPort, httpPort, host } = { ...DEFAULTS, ...withoutUndefined(options) };
    const codecs = loadOtlpCodecs(options.protoRoot);
    const sink = new OtlpSink(codecs);
    const grpc = createOtlpGrpcServer(sink, codecs);
    const http = createServer(createOtlpHttpHandler(sink, codecs));
    try {
      const boundGrpcPort = await bindGrpcServer(grpc, host, grpcPort);
      http.listen({ port: httpPort, host });
      await once(http, 'listening');
      const boundHttpPort = (http.address() as AddressInfo).port;
      return new OtlpReceiver(sink, grpc, http, host, [boundGrpcPort, boundHttpPort]);
    } catch (error) {
      grpc.forceShutdown();
      http.close();
      throw error;
    }
  }

  /** Every span received so far, in arrival order. */
  spans(): ReceivedSpan[] {
    return [...this.#sink.spans];
  }

  /** Every metric data point received so far, in arrival order. */
  metrics(): ReceivedMetric[] {
    return [...this.#sink.metrics];
  }

  /** Every log record received so far, in arrival order. */
  logs(): ReceivedLog[] {
    return [...this.#sink.logs];
  }

  /** Every export request so far, including failed and undecodable ones. */
  get requests(): readonly ReceivedRequest[] {
    return [...this.#sink.requests];
  }

  /**
   * Polls `predicate` until it returns a truthy value and resolves with that value. A predicate that throws counts
   * as "not yet" (so `assert` calls may be used inside it). Rejects on timeout with a message listing what was
   * received, and the predicate's last error. Polls in real time even while a test fakes timers.
   */
  async waitFor<T>(predicate: () => T, options: WaitForOptions = {}): Promise<Truthy<T>> {
    const { timeoutMs, intervalMs, description } = { ...WAIT_DEFAULTS, ...withoutUndefined(options) };
    const deadline = performance.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const result = predicate();
        if (result) return result as Truthy<T>;
      } catch (error) {
        lastError = error;
      }
      if (performance.now() >= deadline) break;
      await sleep(intervalMs);
    }
    const what = description ? ` waiting for ${description}` : '';
    const why = lastError === undefined ? '' : `\nLast predicate error: ${String(lastError)}`;
    throw new Error(`OtlpReceiver.waitFor timed out after ${timeoutMs}ms${what}.\nReceived: ${this.describe()}${why}`);
  }

  /** A one-paragraph account of what was received: names, counts and request outcomes. */
  describe(): string {
    const { spans, metrics, logs, requests } = this.#sink;
    const spanNames = distinct(spans.map((span) => span.name));
    const metricNames = distinct(metrics.map((point) => point.name));
    const bodies = logs.slice(0, 10).map((log) => truncate(typeof log.body === 'string' ? log.body : render(log.body)));
    const failed = requests.filter((request) => request.outcome === 'failed').length;
    const invalid = requests.filter((request) => request.outcome === 'invalid');
    const lines = [
      `${spans.length} spans ${JSON.stringify(spanNames)}`,
      `${metrics.length} metric points ${JSON.stringify(metricNames)}`,
      `${logs.length} log records ${JSON.stringify(bodies)}${logs.length > bodies.length ? ' ...' : ''}`,
      `${requests.length} requests (${failed} failed on purpose, ${invalid.length} invalid)`,
    ];
    const lastInvalid = invalid.at(-1);
    if (lastInvalid?.error) lines.push(`last invalid request: ${lastInvalid.error}`);
    return lines.join('; ');
  }

  /** Forgets everything received so far (failure settings from `failWith` stay). */
  clear(): void {
    this.#sink.clear();
  }

  /**
   * Makes exports of `signal` (or of every signal) fail until called again with `null`. `status` is a gRPC status
   * code (1-16, e.g. 14 UNAVAILABLE) or an HTTP status (400-599, e.g. 503); each transport answers the equivalent of
   * the other (UNAVAILABLE <-> 503, RESOURCE_EXHAUSTED <-> 429, INVALID_ARGUMENT <-> 400, ...).
   */
  failWith(signal: OtlpSignal | 'all', status: number | null, options: FailWithOptions = {}): void {
    if (status !== null) assertFailureStatus(status);
    for (const target of signal === 'all' ? OTLP_SIGNALS : [signal]) {
      this.#sink.failWith(target, status, options.times, options.message);
    }
  }

  /** Stops both servers (open exporter connections are closed). Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([closeGrpcServer(this.#grpcServer), closeHttp(this.#httpServer)]).then(
      () => undefined,
    );
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function render(value: unknown): string {
  return JSON.stringify(value, (_, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner)) ?? 'null';
}

function truncate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
