import { type Counter, createNoopMeter, type Meter, type MeterProvider } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { Instruments } from './Instruments.js';
import { AttributeNames } from './TelemetryNames.js';

/** The telemetry signals, as the `signal` attribute of `metronome.telemetry.dropped`. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** Export state per signal, for `/healthz`. */
export interface ExporterState {
  readonly ok: boolean;
  readonly lastSuccessAt: number | null;
  readonly lastFailureAt: number | null;
  readonly lastError: string | null;
  readonly dropped: number;
  readonly exported: number;
}

/**
 * Watches the three exporters: counts what a failed export drops, keeps per-signal state for `/healthz`, and warns
 * at most once per interval per signal. The exporters already retry transient failures themselves; what reaches a
 * failed result here is gone, so it is counted, never re-queued (memory stays bounded when the collector is away).
 * Spans and log records the batch processors throw away because their queue is full (while a slow or absent
 * collector holds the one export in flight) never reach an exporter: {@link processorMeterProvider} hears of those.
 */
export class ExportMonitor {
  readonly #state = new Map<Signal, { -readonly [K in keyof ExporterState]: ExporterState[K] }>();
  readonly #lastWarned = new Map<Signal, number>();
  #warn: (signal: Signal, message: string, dropped: number) => void = () => undefined;

  constructor(
    private readonly instruments: () => Instruments,
    private readonly warnIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Where warnings go; set once the logger exists (the logger itself depends on the SDK). */
  onWarning(warn: (signal: Signal, message: string, dropped: number) => void): void {
    this.#warn = warn;
  }

  state(): Record<Signal, ExporterState> {
    const out = {} as Record<Signal, ExporterState>;
    for (const signal of ['traces', 'metrics', 'logs'] as const) out[signal] = { ...this.#get(signal) };
    return out;
  }

  /** Records the result of one export of `items` items. */
  record(signal: Signal, items: number, result: ExportResult): void {
    const state = this.#get(signal);
    const now = this.now();
    if (result.code === ExportResultCode.SUCCESS) {
      state.ok = true;
      state.lastSuccessAt = now;
      state.exported += items;
      return;
    }
    state.ok = false;
    state.lastFailureAt = now;
    state.lastError = result.error?.message?.split('\n')[0]?.slice(0, 200) ?? 'export failed';
    this.#drop(signal, items, state.lastError);
  }

  /**
   * The `selfObsMeterProvider` of a batch processor: the SDK reports every item it processed on one counter, those
   * it threw away for a full queue with `error.type` `queue_full`; those are counted as dropped here. Everything else
   * it reports (queue size, capacity, exported items) is discarded: the exporter wrappers count exports already.
   */
  processorMeterProvider(signal: Signal): MeterProvider {
    const processed: Counter = {
      add: (items, attributes) => {
        if (attributes?.['error.type'] === 'queue_full') {
          this.#drop(signal, items, 'the export queue is full (the collector is slow or unreachable)');
        }
      },
    };
    // The no-op meter for every instrument but that counter.
    const meter: Meter = Object.create(createNoopMeter());
    meter.createCounter = () => processed;
    return { getMeter: () => meter };
  }

  wrapSpanExporter(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans: ReadableSpan[], done) => exporter.export(spans, this.#recording('traces', spans.length, done)),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  wrapLogExporter(exporter: LogRecordExporter): LogRecordExporter {
    return {
      export: (logs: ReadableLogRecord[], done) => exporter.export(logs, this.#recording('logs', logs.length, done)),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  wrapMetricExporter(exporter: PushMetricExporter): PushMetricExporter {
    return {
      export: (metrics: ResourceMetrics, done) =>
        exporter.export(metrics, this.#recording('metrics', countDataPoints(metrics), done)),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush(),
      selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
      selectAggregation: exporter.selectAggregation?.bind(exporter),
    };
  }

  #drop(signal: Signal, items: number, reason: string): void {
    const state = this.#get(signal);
    const now = this.now();
    state.dropped += items;
    this.instruments().telemetryDropped.add(items, { [AttributeNames.Signal]: signal });
    const last = this.#lastWarned.get(signal) ?? Number.NEGATIVE_INFINITY;
    if (now - last >= this.warnIntervalMs) {
      this.#lastWarned.set(signal, now);
      this.#warn(signal, reason, state.dropped);
    }
  }

  /** The export callback that records the result before handing it on. */
  #recording(signal: Signal, items: number, done: (result: ExportResult) => void): (result: ExportResult) => void {
    return (result) => {
      this.record(signal, items, result);
      done(result);
    };
  }

  #get(signal: Signal) {
    let state = this.#state.get(signal);
    if (!state) {
      state = { ok: true, lastSuccessAt: null, lastFailureAt: null, lastError: null, dropped: 0, exported: 0 };
      this.#state.set(signal, state);
    }
    return state;
  }
}

function countDataPoints(metrics: ResourceMetrics): number {
  let points = 0;
  for (const scope of metrics.scopeMetrics) for (const metric of scope.metrics) points += metric.dataPoints.length;
  return points;
}
