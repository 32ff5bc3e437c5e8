/** The three OTLP signals. */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** How an export reached the receiver: OTLP/gRPC or OTLP/HTTP. */
export type OtlpTransport = 'grpc' | 'http';

/** How the export body was encoded. gRPC is always protobuf; OTLP/HTTP may be protobuf or JSON. */
export type OtlpEncoding = 'protobuf' | 'json';

/**
 * A decoded OTLP `AnyValue`: strings, booleans, doubles, integers (a `number` when it is a safe integer, else a
 * `bigint`), bytes, arrays and key-value lists (as plain objects). An empty `AnyValue` decodes to `null`.
 */
export type AttrValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | null
  | readonly AttrValue[]
  | { readonly [key: string]: AttrValue };

/** Decoded attributes (`repeated KeyValue`), keyed by attribute name. */
export type Attributes = Record<string, AttrValue>;

/** The instrumentation scope that produced an item. */
export interface ReceivedScope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** Fields every received item carries: where it came from and how it arrived. */
export interface ReceivedOrigin {
  resource: Attributes;
  scope: ReceivedScope;
  transport: OtlpTransport;
}

/** OTLP span kind, lower-cased (note: OTLP numbers are the API's `SpanKind` plus one). */
export type ReceivedSpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** OTLP span status code, lower-cased. */
export type ReceivedStatusCode = 'unset' | 'ok' | 'error';

/** A span event. */
export interface ReceivedSpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

/** A span link; ids are lowercase hex. */
export interface ReceivedSpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

/** One span, flattened out of its resource and scope. Ids are lowercase hex; `parentSpanId` is `''` for roots. */
export interface ReceivedSpan extends ReceivedOrigin {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: ReceivedSpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: ReceivedSpanEvent[];
  links: ReceivedSpanLink[];
  status: { code: ReceivedStatusCode; message: string };
}

/** The OTLP metric data type a point came from. */
export type MetricKind = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

/** Aggregation temporality of sums and histograms. */
export type MetricTemporality = 'delta' | 'cumulative' | 'unspecified';

/** An exemplar attached to a metric point; ids are lowercase hex (`''` when absent). */
export interface ReceivedExemplar {
  value: number;
  timeUnixNano: bigint;
  traceId: string;
  spanId: string;
  filteredAttributes: Attributes;
}

/** One bucket range of an exponential histogram. */
export interface ReceivedExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

/**
 * One metric data point, flattened out of its metric, scope and resource. Which optional fields are set depends on
 * `kind`: `value` for sums and gauges; `count`/`sum`/`min`/`max` for histograms (and `count`/`sum` for summaries);
 * `bucketCounts`/`explicitBounds` for explicit histograms; `scale`/`zeroCount`/`positive`/`negative` for exponential
 * histograms; `quantiles` for summaries.
 */
export interface ReceivedMetric extends ReceivedOrigin {
  name: string;
  description: string;
  unit: string;
  kind: MetricKind;
  monotonic?: boolean;
  temporality?: MetricTemporality;
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
  value?: number;
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  scale?: number;
  zeroCount?: number;
  positive?: ReceivedExponentialBuckets;
  negative?: ReceivedExponentialBuckets;
  quantiles?: { quantile: number; value: number }[];
  exemplars?: ReceivedExemplar[];
}

/** One log record, flattened out of its scope and resource. Ids are lowercase hex (`''` when absent). */
export interface ReceivedLog extends ReceivedOrigin {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: AttrValue;
  attributes: Attributes;
  traceId: string;
  spanId: string;
  flags: number;
}

/** What the receiver did with an export request. */
export type RequestOutcome = 'accepted' | 'failed' | 'invalid';

/** One export request as the receiver saw it. */
export interface ReceivedRequest {
  signal: OtlpSignal;
  transport: OtlpTransport;
  encoding: OtlpEncoding;
  /** HTTP only: the body's Content-Encoding (`identity` when none). gRPC decompresses before the receiver sees it. */
  contentEncoding?: string;
  /** When the request arrived (epoch milliseconds). */
  at: number;
  /** Spans, metric data points or log records decoded from it (0 unless accepted). */
  items: number;
  /** `accepted`, `failed` on purpose (see `failWith`), or `invalid` when it could not be decoded. */
  outcome: RequestOutcome;
  /** The status answered: a gRPC status code for `grpc`, an HTTP status for `http`. */
  status: number;
  /** Why the request was not accepted. */
  error?: string;
}
