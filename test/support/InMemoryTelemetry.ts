import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/** One exported data point, flattened for assertions. */
export interface Point {
  readonly name: string;
  readonly unit: string;
  readonly attributes: Record<string, unknown>;
  readonly value: unknown;
}

/**
 * Real SDK providers with in-memory exporters, registered as the OpenTelemetry globals (once per test process, as
 * the SDK allows), for unit tests that assert on the spans and metrics code produces.
 */
export class InMemoryTelemetry {
  readonly spanExporter = new InMemorySpanExporter();
  readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  readonly #reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    exportIntervalMillis: 3_600_000,
  });

  constructor() {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: this.spanExporter })] }),
    );
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [this.#reader] }));
  }

  spans(name?: string): ReadableSpan[] {
    const all = this.spanExporter.getFinishedSpans();
    return name === undefined ? all : all.filter((s) => s.name === name);
  }

  /** Collects now and returns every data point of `name`. */
  async points(name: string): Promise<Point[]> {
    this.metricExporter.reset();
    await this.#reader.forceFlush();
    const latest = this.metricExporter.getMetrics().at(-1);
    const out: Point[] = [];
    for (const scope of latest?.scopeMetrics ?? []) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints as DataPoint<unknown>[]) {
          out.push({ name, unit: metric.descriptor.unit, attributes: { ...point.attributes }, value: point.value });
        }
      }
    }
    return out;
  }

  /** Sum of a counter's (or count of a histogram's) points whose attributes include `match`. */
  async total(name: string, match: Record<string, unknown> = {}): Promise<number> {
    let sum = 0;
    for (const point of await this.points(name)) {
      if (!Object.entries(match).every(([k, v]) => point.attributes[k] === v)) continue;
      const value = point.value;
      sum += typeof value === 'number' ? value : ((value as { count?: number }).count ?? 0);
    }
    return sum;
  }

  reset(): void {
    this.spanExporter.reset();
  }
}
