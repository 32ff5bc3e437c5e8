import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Metadata } from '@grpc/grpc-js';
import { type Attributes, metrics } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HostMetrics } from '@opentelemetry/host-metrics';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { ExportMonitor } from './ExportMonitor.js';
import { globalInstruments, type Instruments } from './Instruments.js';
import { scrubPath } from './scrubPath.js';
import { AttributeNames } from './TelemetryNames.js';

/** Batch processor limits, read from config (which maps the `OTEL_BSP_*` / `OTEL_BLRP_*` variables). */
export interface BatchOptions {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduleDelayMs: number;
  readonly exportTimeoutMs: number;
}

/** Everything the SDK needs, mapped from config by the composition root. */
export interface TelemetryOptions {
  readonly enabled: boolean;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly serviceNamespace: string;
  readonly environment: string;
  readonly instanceId?: string;
  readonly shardIds?: readonly number[];
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly metricsEndpoint: string;
  readonly logsEndpoint: string;
  readonly tracesEndpoint: string;
  /** Headers sent with every export (`OTEL_EXPORTER_OTLP_HEADERS`); may carry vendor keys, so never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly metricExportIntervalMs: number;
  readonly metricExportTimeoutMs: number;
  readonly spanBatch: BatchOptions;
  readonly logBatch: BatchOptions;
  readonly hostMetrics: boolean;
  readonly runtimeMetrics: boolean;
  readonly failureLogIntervalMs: number;
}

/** The running telemetry pipeline. */
export interface Telemetry {
  readonly enabled: boolean;
  readonly instruments: Instruments;
  readonly exports: ExportMonitor;
  readonly resource: Attributes;
  /** Exports everything buffered now; with `metrics: false` only the batched spans and log records. */
  forceFlush(options?: { readonly metrics?: boolean }): Promise<void>;
  /** Flushes and stops every provider. Safe to call twice. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK: metrics and logs over OTLP/gRPC, traces over OTLP/HTTP (the transport is fixed by the
 * product), the instrumentations, and host metrics. Must run before pino, pg and undici users are imported, so the
 * composition root imports the rest of the app dynamically after this.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const exports = new ExportMonitor(globalInstruments, options.failureLogIntervalMs);
  const resource = resourceAttributes(options);
  if (!options.enabled) {
    return {
      enabled: false,
      instruments: globalInstruments(),
      exports,
      resource,
      // Disabled: nothing is buffered, so there is nothing to flush or stop.
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
  }

  const headers = { ...options.headers };
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);

  const metricReader = new PeriodicExportingMetricReader({
    exporter: exports.wrapMetricExporter(
      new OTLPMetricExporter({
        url: options.metricsEndpoint,
        metadata,
        timeoutMillis: options.metricExportTimeoutMs,
      }),
    ),
    exportIntervalMillis: options.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(options.metricExportTimeoutMs, options.metricExportIntervalMs),
  });
  const spanProcessor = new BatchSpanProcessor({
    exporter: exports.wrapSpanExporter(
      new OTLPTraceExporter({
        url: options.tracesEndpoint,
        headers,
        timeoutMillis: options.spanBatch.exportTimeoutMs,
      }),
    ),
    ...batch(options.spanBatch),
    selfObsMeterProvider: exports.processorMeterProvider('traces'),
  });
  const logProcessor = new BatchLogRecordProcessor({
    exporter: exports.wrapLogExporter(
      new OTLPLogExporter({ url: options.logsEndpoint, metadata, timeoutMillis: options.logBatch.exportTimeoutMs }),
    ),
    ...batch(options.logBatch),
    selfObsMeterProvider: exports.processorMeterProvider('logs'),
  });

  const instrumentations: Instrumentation[] = [
    new UndiciInstrumentation({
      // Interaction and webhook tokens sit in Discord's URLs; they must not reach Tempo. The start hook's attributes
      // replace the instrumentation's own before the span starts, so the span's attributes are cleaned once (a
      // requestHook would set them a second time on every request).
      startSpanHook: (request) => {
        const path = scrubPath(request.path);
        if (path === request.path) return {};
        const query = path.indexOf('?');
        return {
          [AttributeNames.UrlFull]: `${request.origin}${path}`,
          [AttributeNames.UrlPath]: query === -1 ? path : path.slice(0, query),
        };
      },
    }),
    // requireParentSpan would drop the duration metric of unparented queries too (DESIGN.md).
    new PgInstrumentation({ addSqlCommenterCommentToQueries: true, requireParentSpan: false }),
    new PinoInstrumentation(),
  ];
  // The event-loop delay histogram samples every 50 ms rather than the default 10: each sample wakes an idle process,
  // and at 10 ms that alone cost 6 ms of CPU per second on the development machine (1.5 ms at 50). A blocked loop
  // still shows in full, since it delays the next sample.
  if (options.runtimeMetrics) instrumentations.push(new RuntimeNodeInstrumentation({ monitoringPrecision: 50 }));

  const sdk = new NodeSDK({
    autoDetectResources: false,
    // Nothing downstream of the bot joins its traces (Discord and Lavalink ignore traceparent), and injecting one
    // would hand trace ids to a third party and cost every outbound request a header: no propagator.
    textMapPropagator: null,
    resource: defaultResource().merge(resourceFromAttributes(resource)),
    metricReaders: [metricReader],
    spanProcessors: [spanProcessor],
    logRecordProcessors: [logProcessor],
    instrumentations,
  });
  sdk.start();

  if (options.hostMetrics) {
    new HostMetrics({
      meterProvider: metrics.getMeterProvider(),
      name: 'metronome-host',
      metricGroups: ['process.cpu', 'process.memory'],
    }).start();
  }

  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    instruments: globalInstruments(),
    exports,
    resource,
    forceFlush: async ({ metrics = true } = {}) => {
      await Promise.allSettled([
        spanProcessor.forceFlush(),
        logProcessor.forceFlush(),
        ...(metrics ? [metricReader.forceFlush()] : []),
      ]);
    },
    shutdown: () => {
      stopped ??= sdk.shutdown().catch(() => {
        // Shutdown flushes to a collector that may be gone; its failure was already counted and warned about.
      });
      return stopped;
    },
  };
}

function resourceAttributes(options: TelemetryOptions): Attributes {
  return {
    ...options.resourceAttributes,
    'service.name': options.serviceName,
    'service.version': options.serviceVersion,
    'service.namespace': options.serviceNamespace,
    'service.instance.id': options.instanceId ?? options.resourceAttributes['service.instance.id'] ?? randomUUID(),
    'deployment.environment.name': options.environment,
    'host.name': hostname(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    ...(options.shardIds?.length ? { [AttributeNames.DiscordShardIds]: options.shardIds.join(',') } : {}),
  };
}

function batch(options: BatchOptions) {
  return {
    maxQueueSize: options.maxQueueSize,
    maxExportBatchSize: options.maxExportBatchSize,
    scheduledDelayMillis: options.scheduleDelayMs,
    exportTimeoutMillis: options.exportTimeoutMs,
  };
}
