import {
  decodeAnyValue,
  decodeAttributes,
  enumNumber,
  idToHex,
  toBigInt,
  toCount,
  toDouble,
  toInteger,
  toOptionalDouble,
} from './decodeAnyValue.js';
import type {
  WireDouble,
  WireExemplar,
  WireExponentialBuckets,
  WireLogsRequest,
  WireLong,
  WireMetric,
  WireMetricsRequest,
  WireNumberDataPoint,
  WireResource,
  WireScope,
  WireTraceRequest,
} from './OtlpWire.js';
import type {
  MetricTemporality,
  OtlpTransport,
  ReceivedExemplar,
  ReceivedExponentialBuckets,
  ReceivedLog,
  ReceivedMetric,
  ReceivedOrigin,
  ReceivedScope,
  ReceivedSpan,
  ReceivedSpanKind,
  ReceivedStatusCode,
} from './ReceivedTelemetry.js';

const SPAN_KINDS: readonly ReceivedSpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const SPAN_KIND_NAMES = SPAN_KINDS.map((kind) => `SPAN_KIND_${kind.toUpperCase()}`);
const STATUS_CODES: readonly ReceivedStatusCode[] = ['unset', 'ok', 'error'];
const STATUS_CODE_NAMES = STATUS_CODES.map((code) => `STATUS_CODE_${code.toUpperCase()}`);
const TEMPORALITIES: readonly MetricTemporality[] = ['unspecified', 'delta', 'cumulative'];
const TEMPORALITY_NAMES = TEMPORALITIES.map((t) => `AGGREGATION_TEMPORALITY_${t.toUpperCase()}`);
const SEVERITY_NAMES = ['SEVERITY_NUMBER_UNSPECIFIED'].concat(
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
);

function decodeScope(scope: WireScope | undefined): ReceivedScope {
  return { name: scope?.name ?? '', version: scope?.version ?? '', attributes: decodeAttributes(scope?.attributes) };
}

function origin(resource: WireResource | undefined, scope: WireScope | undefined, transport: OtlpTransport) {
  return (): ReceivedOrigin => ({
    resource: decodeAttributes(resource?.attributes),
    scope: decodeScope(scope),
    transport,
  });
}

/** Flattens an `ExportTraceServiceRequest` into one entry per span. */
export function flattenSpans(request: WireTraceRequest, transport: OtlpTransport): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const originOf = origin(resourceSpans.resource, scopeSpans.scope, transport);
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: idToHex(span.traceId),
          spanId: idToHex(span.spanId),
          parentSpanId: idToHex(span.parentSpanId),
          traceState: span.traceState ?? '',
          name: span.name ?? '',
          kind: SPAN_KINDS[enumNumber(span.kind, SPAN_KIND_NAMES)] ?? 'unspecified',
          startTimeUnixNano: toBigInt(span.startTimeUnixNano),
          endTimeUnixNano: toBigInt(span.endTimeUnixNano),
          attributes: decodeAttributes(span.attributes),
          events: (span.events ?? []).map((event) => ({
            name: event.name ?? '',
            timeUnixNano: toBigInt(event.timeUnixNano),
            attributes: decodeAttributes(event.attributes),
          })),
          links: (span.links ?? []).map((link) => ({
            traceId: idToHex(link.traceId),
            spanId: idToHex(link.spanId),
            attributes: decodeAttributes(link.attributes),
          })),
          status: {
            code: STATUS_CODES[enumNumber(span.status?.code, STATUS_CODE_NAMES)] ?? 'unset',
            message: span.status?.message ?? '',
          },
          ...originOf(),
        });
      }
    }
  }
  return spans;
}

function decodeExemplars(exemplars: readonly WireExemplar[] | undefined): ReceivedExemplar[] {
  return (exemplars ?? []).map((exemplar) => ({
    value: exemplar.asInt !== undefined ? Number(exemplar.asInt) : toDouble(exemplar.asDouble ?? 0),
    timeUnixNano: toBigInt(exemplar.timeUnixNano),
    traceId: idToHex(exemplar.traceId),
    spanId: idToHex(exemplar.spanId),
    filteredAttributes: decodeAttributes(exemplar.filteredAttributes),
  }));
}

function decodeBuckets(buckets: WireExponentialBuckets | undefined): ReceivedExponentialBuckets {
  return { offset: buckets?.offset ?? 0, bucketCounts: (buckets?.bucketCounts ?? []).map(toCount) };
}

function numberValue(point: WireNumberDataPoint): number {
  if (point.asInt !== undefined) return Number(toInteger(point.asInt));
  return toDouble(point.asDouble ?? 0);
}

function temporality(value: Parameters<typeof enumNumber>[0]): MetricTemporality {
  return TEMPORALITIES[enumNumber(value, TEMPORALITY_NAMES)] ?? 'unspecified';
}

/** Flattens one metric into one entry per data point (without resource/scope/transport). */
function metricPoints(metric: WireMetric): Omit<ReceivedMetric, keyof ReceivedOrigin>[] {
  const base = { name: metric.name ?? '', description: metric.description ?? '', unit: metric.unit ?? '' };
  const common = (point: {
    attributes?: WireNumberDataPoint['attributes'];
    startTimeUnixNano?: WireNumberDataPoint['startTimeUnixNano'];
    timeUnixNano?: WireNumberDataPoint['timeUnixNano'];
    flags?: number;
  }) => ({
    attributes: decodeAttributes(point.attributes),
    startTimeUnixNano: toBigInt(point.startTimeUnixNano),
    timeUnixNano: toBigInt(point.timeUnixNano),
    flags: point.flags ?? 0,
  });
  if (metric.sum) {
    const { isMonotonic, aggregationTemporality } = metric.sum;
    return (metric.sum.dataPoints ?? []).map((point) => ({
      ...base,
      kind: 'sum',
      monotonic: isMonotonic ?? false,
      temporality: temporality(aggregationTemporality),
      ...common(point),
      value: numberValue(point),
      exemplars: decodeExemplars(point.exemplars),
    }));
  }
  if (metric.gauge) {
    return (metric.gauge.dataPoints ?? []).map((point) => ({
      ...base,
      kind: 'gauge',
      ...common(point),
      value: numberValue(point),
      exemplars: decodeExemplars(point.exemplars),
    }));
  }
  if (metric.histogram) {
    const pointTemporality = temporality(metric.histogram.aggregationTemporality);
    return (metric.histogram.dataPoints ?? []).map((point) => ({
      ...base,
      kind: 'histogram',
      temporality: pointTemporality,
      ...common(point),
      ...distributionStats(point),
      bucketCounts: (point.bucketCounts ?? []).map(toCount),
      explicitBounds: (point.explicitBounds ?? []).map(toDouble),
      exemplars: decodeExemplars(point.exemplars),
    }));
  }
  if (metric.exponentialHistogram) {
    const pointTemporality = temporality(metric.exponentialHistogram.aggregationTemporality);
    return (metric.exponentialHistogram.dataPoints ?? []).map((point) => ({
      ...base,
      kind: 'exponentialHistogram',
      temporality: pointTemporality,
      ...common(point),
      ...distributionStats(point),
      scale: point.scale ?? 0,
      zeroCount: toCount(point.zeroCount),
      positive: decodeBuckets(point.positive),
      negative: decodeBuckets(point.negative),
      exemplars: decodeExemplars(point.exemplars),
    }));
  }
  if (metric.summary) {
    return (metric.summary.dataPoints ?? []).map((point) => ({
      ...base,
      kind: 'summary',
      ...common(point),
      count: toCount(point.count),
      sum: toDouble(point.sum ?? 0),
      quantiles: (point.quantileValues ?? []).map((q) => ({
        quantile: toDouble(q.quantile ?? 0),
        value: toDouble(q.value ?? 0),
      })),
    }));
  }
  return [];
}

/** Flattens an `ExportMetricsServiceRequest` into one entry per data point. */
export function flattenMetrics(request: WireMetricsRequest, transport: OtlpTransport): ReceivedMetric[] {
  const points: ReceivedMetric[] = [];
  for (const resourceMetrics of request.resourceMetrics ?? []) {
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const originOf = origin(resourceMetrics.resource, scopeMetrics.scope, transport);
      for (const metric of scopeMetrics.metrics ?? []) {
        for (const point of metricPoints(metric)) points.push(withoutUndefined({ ...point, ...originOf() }));
      }
    }
  }
  return points;
}

/** Flattens an `ExportLogsServiceRequest` into one entry per log record. */
export function flattenLogs(request: WireLogsRequest, transport: OtlpTransport): ReceivedLog[] {
  const logs: ReceivedLog[] = [];
  for (const resourceLogs of request.resourceLogs ?? []) {
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const originOf = origin(resourceLogs.resource, scopeLogs.scope, transport);
      for (const record of scopeLogs.logRecords ?? []) {
        logs.push({
          timeUnixNano: toBigInt(record.timeUnixNano),
          observedTimeUnixNano: toBigInt(record.observedTimeUnixNano),
          severityNumber: enumNumber(record.severityNumber, SEVERITY_NAMES),
          severityText: record.severityText ?? '',
          eventName: record.eventName ?? '',
          body: decodeAnyValue(record.body),
          attributes: decodeAttributes(record.attributes),
          traceId: idToHex(record.traceId),
          spanId: idToHex(record.spanId),
          flags: record.flags ?? 0,
          ...originOf(),
        });
      }
    }
  }
  return logs;
}

/** Drops optional keys whose value is undefined, so `assert.deepEqual` on points compares only what was sent. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Count, sum, min and max: what histogram and exponential-histogram points share. */
function distributionStats(point: { count?: WireLong; sum?: WireDouble; min?: WireDouble; max?: WireDouble }) {
  return {
    count: toCount(point.count),
    sum: toOptionalDouble(point.sum),
    min: toOptionalDouble(point.min),
    max: toOptionalDouble(point.max),
  };
}
