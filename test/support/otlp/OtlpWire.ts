/**
 * The parts of decoded OTLP export requests the receiver reads, with lowerCamelCase field names. Both decoders
 * produce this shape: protobuf (through @grpc/proto-loader, `longs: String`, bytes as `Buffer`) and OTLP/JSON (ids
 * as hex strings, `bytesValue` as base64, 64-bit integers as strings or numbers). Every field is optional because
 * proto3 leaves defaults off the wire.
 */

/** A 64-bit integer: a decimal string (protobuf, JSON) or a number (JSON). */
export type WireLong = string | number;

/** Bytes: a `Buffer` from protobuf; a hex (ids) or base64 (`bytesValue`) string from JSON. */
export type WireBytes = Uint8Array | string;

/** A double; JSON may spell the special values `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export type WireDouble = number | string;

/** An enum: a number, or its name when a JSON sender spells it out. */
export type WireEnum = number | string;

export interface WireAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: WireLong;
  doubleValue?: WireDouble;
  arrayValue?: { values?: WireAnyValue[] };
  kvlistValue?: { values?: WireKeyValue[] };
  bytesValue?: WireBytes;
}

export interface WireKeyValue {
  key?: string;
  value?: WireAnyValue;
}

export interface WireResource {
  attributes?: WireKeyValue[];
}

export interface WireScope {
  name?: string;
  version?: string;
  attributes?: WireKeyValue[];
}

export interface WireSpan {
  traceId?: WireBytes;
  spanId?: WireBytes;
  traceState?: string;
  parentSpanId?: WireBytes;
  name?: string;
  kind?: WireEnum;
  startTimeUnixNano?: WireLong;
  endTimeUnixNano?: WireLong;
  attributes?: WireKeyValue[];
  events?: { timeUnixNano?: WireLong; name?: string; attributes?: WireKeyValue[] }[];
  links?: { traceId?: WireBytes; spanId?: WireBytes; attributes?: WireKeyValue[] }[];
  status?: { message?: string; code?: WireEnum };
}

export interface WireTraceRequest {
  resourceSpans?: {
    resource?: WireResource;
    scopeSpans?: { scope?: WireScope; spans?: WireSpan[] }[];
  }[];
}

export interface WireExemplar {
  filteredAttributes?: WireKeyValue[];
  timeUnixNano?: WireLong;
  asDouble?: WireDouble;
  asInt?: WireLong;
  spanId?: WireBytes;
  traceId?: WireBytes;
}

export interface WireNumberDataPoint {
  attributes?: WireKeyValue[];
  startTimeUnixNano?: WireLong;
  timeUnixNano?: WireLong;
  asDouble?: WireDouble;
  asInt?: WireLong;
  exemplars?: WireExemplar[];
  flags?: number;
}

export interface WireHistogramDataPoint {
  attributes?: WireKeyValue[];
  startTimeUnixNano?: WireLong;
  timeUnixNano?: WireLong;
  count?: WireLong;
  sum?: WireDouble;
  bucketCounts?: WireLong[];
  explicitBounds?: WireDouble[];
  exemplars?: WireExemplar[];
  flags?: number;
  min?: WireDouble;
  max?: WireDouble;
}

export interface WireExponentialBuckets {
  offset?: number;
  bucketCounts?: WireLong[];
}

export interface WireExponentialHistogramDataPoint {
  attributes?: WireKeyValue[];
  startTimeUnixNano?: WireLong;
  timeUnixNano?: WireLong;
  count?: WireLong;
  sum?: WireDouble;
  scale?: number;
  zeroCount?: WireLong;
  positive?: WireExponentialBuckets;
  negative?: WireExponentialBuckets;
  flags?: number;
  exemplars?: WireExemplar[];
  min?: WireDouble;
  max?: WireDouble;
}

export interface WireSummaryDataPoint {
  attributes?: WireKeyValue[];
  startTimeUnixNano?: WireLong;
  timeUnixNano?: WireLong;
  count?: WireLong;
  sum?: WireDouble;
  quantileValues?: { quantile?: WireDouble; value?: WireDouble }[];
  flags?: number;
}

export interface WireMetric {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: WireNumberDataPoint[] };
  sum?: { dataPoints?: WireNumberDataPoint[]; aggregationTemporality?: WireEnum; isMonotonic?: boolean };
  histogram?: { dataPoints?: WireHistogramDataPoint[]; aggregationTemporality?: WireEnum };
  exponentialHistogram?: { dataPoints?: WireExponentialHistogramDataPoint[]; aggregationTemporality?: WireEnum };
  summary?: { dataPoints?: WireSummaryDataPoint[] };
}

export interface WireMetricsRequest {
  resourceMetrics?: {
    resource?: WireResource;
    scopeMetrics?: { scope?: WireScope; metrics?: WireMetric[] }[];
  }[];
}

export interface WireLogRecord {
  timeUnixNano?: WireLong;
  observedTimeUnixNano?: WireLong;
  severityNumber?: WireEnum;
  severityText?: string;
  body?: WireAnyValue;
  attributes?: WireKeyValue[];
  flags?: number;
  traceId?: WireBytes;
  spanId?: WireBytes;
  eventName?: string;
}

export interface WireLogsRequest {
  resourceLogs?: {
    resource?: WireResource;
    scopeLogs?: { scope?: WireScope; logRecords?: WireLogRecord[] }[];
  }[];
}
