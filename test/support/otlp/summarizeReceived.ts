import type { OtlpTransport, ReceivedLog, ReceivedMetric, ReceivedRequest, ReceivedSpan } from './ReceivedTelemetry.js';

/** Counts per transport. */
export type TransportCounts = Record<OtlpTransport, number>;

/** A JSON-friendly account of what an OTLP receiver got; printed by `receiverCli`. */
export interface ReceivedSummary {
  requests: { total: number; byTransport: TransportCounts; failed: number; invalid: number };
  spans: { total: number; byTransport: TransportCounts; names: string[]; traces: number };
  metricPoints: { total: number; byTransport: TransportCounts; names: string[] };
  logRecords: {
    total: number;
    byTransport: TransportCounts;
    /** Records carrying a (non-zero) trace id. */
    withTraceId: number;
    /** Records whose trace id is the trace id of a received span: trace-to-logs correlation works. */
    sharingTraceWithSpan: number;
    /** Records whose span id is the id of a received span. */
    sharingSpanWithSpan: number;
  };
  resources: { serviceNames: string[] };
}

/** What a summary is computed from (an `OtlpReceiver` fits). */
export interface ReceivedTelemetrySource {
  spans(): ReceivedSpan[];
  metrics(): ReceivedMetric[];
  logs(): ReceivedLog[];
  readonly requests: readonly ReceivedRequest[];
}

const NO_TRACE = /^0*$/;

/** Summarises what a receiver got: counts per transport, distinct names and log-to-trace correlation. */
export function summarizeReceived(source: ReceivedTelemetrySource): ReceivedSummary {
  const spans = source.spans();
  const metrics = source.metrics();
  const logs = source.logs();
  const requests = source.requests;
  const traceIds = new Set(spans.map((span) => span.traceId));
  const spanIds = new Set(spans.map((span) => span.spanId));
  const tracedLogs = logs.filter((log) => !NO_TRACE.test(log.traceId));
  const serviceNames = [...spans, ...metrics, ...logs].map((item) => item.resource['service.name']);
  return {
    requests: {
      total: requests.length,
      byTransport: countByTransport(requests),
      failed: requests.filter((request) => request.outcome === 'failed').length,
      invalid: requests.filter((request) => request.outcome === 'invalid').length,
    },
    spans: {
      total: spans.length,
      byTransport: countByTransport(spans),
      names: sortedDistinct(spans.map((span) => span.name)),
      traces: traceIds.size,
    },
    metricPoints: {
      total: metrics.length,
      byTransport: countByTransport(metrics),
      names: sortedDistinct(metrics.map((point) => point.name)),
    },
    logRecords: {
      total: logs.length,
      byTransport: countByTransport(logs),
      withTraceId: tracedLogs.length,
      sharingTraceWithSpan: tracedLogs.filter((log) => traceIds.has(log.traceId)).length,
      sharingSpanWithSpan: tracedLogs.filter((log) => spanIds.has(log.spanId)).length,
    },
    resources: {
      serviceNames: sortedDistinct(serviceNames.filter((name): name is string => typeof name === 'string')),
    },
  };
}

function countByTransport(items: readonly { transport: OtlpTransport }[]): TransportCounts {
  const counts: TransportCounts = { grpc: 0, http: 0 };
  for (const item of items) counts[item.transport] += 1;
  return counts;
}

function sortedDistinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
