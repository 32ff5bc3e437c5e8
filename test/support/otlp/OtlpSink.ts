import { status as GrpcStatus } from '@grpc/grpc-js';
import { toGrpcStatus, toHttpStatus } from './exportFailureStatus.js';
import { flattenLogs, flattenMetrics, flattenSpans } from './flattenOtlp.js';
import type { OtlpCodec } from './loadOtlpCodecs.js';
import type { WireLogsRequest, WireMetricsRequest, WireTraceRequest } from './OtlpWire.js';
import { parseOtlpJson } from './parseOtlpJson.js';
import type {
  OtlpEncoding,
  OtlpSignal,
  OtlpTransport,
  ReceivedLog,
  ReceivedMetric,
  ReceivedRequest,
  ReceivedSpan,
} from './ReceivedTelemetry.js';

/** The three signals, in the order the receiver registers them. */
export const OTLP_SIGNALS: readonly OtlpSignal[] = ['traces', 'metrics', 'logs'];

/** Largest export body (after decompression for gRPC, before it for HTTP) the receiver reads. */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

/** What the transport should answer. `status` is a gRPC code for `grpc`, an HTTP status for `http`. */
export interface IngestResult {
  outcome: ReceivedRequest['outcome'];
  status: number;
  /** The gRPC status equivalent (also used in JSON error bodies over HTTP). */
  grpcStatus: number;
  message: string;
}

/** How a request arrived. */
export interface IngestContext {
  signal: OtlpSignal;
  transport: OtlpTransport;
  encoding: OtlpEncoding;
  /** HTTP only: the request's Content-Encoding (`identity` when none). */
  contentEncoding?: string;
}

interface FailurePlan {
  code: number;
  remaining: number;
  message: string;
}

/**
 * Decodes export requests and keeps what they carried. Transport-agnostic: the receiver's gRPC and HTTP servers
 * hand it raw (decompressed) bodies and answer with the status it returns.
 */
export class OtlpSink {
  readonly spans: ReceivedSpan[] = [];
  readonly metrics: ReceivedMetric[] = [];
  readonly logs: ReceivedLog[] = [];
  readonly requests: ReceivedRequest[] = [];
  readonly #failures = new Map<OtlpSignal, FailurePlan>();
  readonly #codecs: Record<OtlpSignal, OtlpCodec>;

  constructor(codecs: Record<OtlpSignal, OtlpCodec>) {
    this.#codecs = codecs;
  }

  /** Makes the next `times` exports of `signal` fail with `code` (gRPC status or HTTP status); `null` clears. */
  failWith(signal: OtlpSignal, code: number | null, times = Number.POSITIVE_INFINITY, message?: string): void {
    if (code === null) this.#failures.delete(signal);
    else this.#failures.set(signal, { code, remaining: times, message: message ?? `failWith(${signal}, ${code})` });
  }

  /** Decodes one export request, stores its items and says what to answer. */
  ingest(request: IngestContext, body: Buffer): IngestResult {
    const { signal, transport, encoding } = request;
    const failure = this.#failures.get(signal);
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.#failures.delete(signal);
      const grpcStatus = toGrpcStatus(failure.code);
      const status = transport === 'grpc' ? grpcStatus : toHttpStatus(failure.code);
      return this.#record(request, 0, 'failed', status, grpcStatus, failure.message);
    }
    let items: number;
    try {
      const decoded = encoding === 'json' ? parseOtlpJson(body) : this.#codecs[signal].decodeRequest(body);
      items = this.#store(signal, decoded, transport);
    } catch (error) {
      return this.reject(request, `cannot decode ${signal} ${encoding}: ${String(error)}`);
    }
    const status = transport === 'grpc' ? GrpcStatus.OK : 200;
    return this.#record(request, items, 'accepted', status, GrpcStatus.OK, '');
  }

  /** Records a request that could not be read at all (bad content type, broken compression, undecodable body). */
  reject(request: IngestContext, message: string, httpStatus = 400): IngestResult {
    const status = request.transport === 'grpc' ? GrpcStatus.INVALID_ARGUMENT : httpStatus;
    return this.#record(request, 0, 'invalid', status, GrpcStatus.INVALID_ARGUMENT, message);
  }

  /** Forgets everything received (failure settings stay). */
  clear(): void {
    this.spans.length = 0;
    this.metrics.length = 0;
    this.logs.length = 0;
    this.requests.length = 0;
  }

  // Items are stored only once the whole request decoded, so a bad request never leaves half its items behind.
  #store(signal: OtlpSignal, request: unknown, transport: OtlpTransport): number {
    if (request === null || typeof request !== 'object') throw new TypeError('request is not an object');
    switch (signal) {
      case 'traces': {
        const spans = flattenSpans(request as WireTraceRequest, transport);
        this.spans.push(...spans);
        return spans.length;
      }
      case 'metrics': {
        const points = flattenMetrics(request as WireMetricsRequest, transport);
        this.metrics.push(...points);
        return points.length;
      }
      case 'logs': {
        const logs = flattenLogs(request as WireLogsRequest, transport);
        this.logs.push(...logs);
        return logs.length;
      }
    }
  }

  #record(
    context: IngestContext,
    items: number,
    outcome: ReceivedRequest['outcome'],
    status: number,
    grpcStatus: number,
    message: string,
  ): IngestResult {
    const { signal, transport, encoding, contentEncoding } = context;
    const request: ReceivedRequest = { signal, transport, encoding, at: Date.now(), items, outcome, status };
    if (contentEncoding !== undefined) request.contentEncoding = contentEncoding;
    if (message) request.error = message;
    this.requests.push(request);
    return { outcome, status, grpcStatus, message };
  }
}
