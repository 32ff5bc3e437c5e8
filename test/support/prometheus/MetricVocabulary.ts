import {
  InstrumentCatalogue,
  type InstrumentSpec,
  LibraryInstrumentCatalogue,
} from '../../../src/telemetry/InstrumentCatalogue.js';
import { AttributeNames } from '../../../src/telemetry/TelemetryNames.js';
import { type OtlpMetricType, otlpTypeOf, prometheusLabelName, prometheusSeriesNames } from './OtlpTranslation.js';
import { parsePromQlReferences } from './PromQlReferences.js';
import type { RecordingRule } from './RuleFiles.js';

/** A series name Prometheus will hold, where it comes from, and the labels a query may select or group it by. */
export interface KnownMetric {
  readonly name: string;
  readonly source: string;
  /** `any` for series whose labels are open-ended (ALERTS carries each alert's own labels). */
  readonly labels: ReadonlySet<string> | 'any';
}

/** Resource attributes of the telemetry contract (DESIGN.md); they reach queries through `target_info`. */
export const ContractResourceAttributes = [
  'service.name',
  'service.version',
  'service.instance.id',
  'service.namespace',
  'deployment.environment.name',
  AttributeNames.DiscordShardIds,
] as const;

/** How the collector's `span_metrics` connector is configured (otel-collector/connectors.yaml). */
export interface SpanMetricsSettings {
  /** `histogram.unit`: `ms` (the connector's default) or `s`. */
  readonly durationUnit: string;
  /** `dimensions[].name`, added to the default ones. */
  readonly dimensions: readonly string[];
}

/**
 * The connector's output with the default namespace `traces.span.metrics`: a `calls` sum without unit and a
 * `duration` histogram, each with the default dimensions (connector.go: service.name, span.name, span.kind,
 * status.code) plus the configured ones.
 */
export function spanMetricsInstruments(settings: SpanMetricsSettings): {
  name: string;
  unit: string;
  type: OtlpMetricType;
  attributes: readonly string[];
}[] {
  const attributes = [...SpanMetricsDefaultDimensions, ...settings.dimensions];
  return [
    { name: 'traces.span.metrics.calls', unit: '', type: 'monotonic_sum', attributes },
    { name: 'traces.span.metrics.duration', unit: settings.durationUnit, type: 'histogram', attributes },
  ];
}
export const SpanMetricsDefaultDimensions = ['service.name', 'span.name', 'span.kind', 'status.code'] as const;

/**
 * The collector's own metrics, scraped from `otel-collector:8888` (exporterhelper and receiverhelper telemetry;
 * the Prometheus exporter appends `_total` to counters).
 */
const CollectorMetrics = [
  ...['spans', 'metric_points', 'log_records'].flatMap((signal) => [
    `otelcol_exporter_sent_${signal}_total`,
    `otelcol_exporter_send_failed_${signal}_total`,
    `otelcol_exporter_enqueue_failed_${signal}_total`,
    `otelcol_receiver_accepted_${signal}_total`,
    `otelcol_receiver_refused_${signal}_total`,
  ]),
  'otelcol_exporter_queue_size',
  'otelcol_exporter_queue_capacity',
];
const CollectorLabels = [
  'exporter',
  'receiver',
  'transport',
  'data_type',
  'service_name',
  'service_instance_id',
  'service_version',
];

/** Lavalink's own Prometheus metrics (`LavalinkStatsCollector`), scraped from `lavalink:2333/metrics`. */
const LavalinkMetrics = [
  'lavalink_players_total',
  'lavalink_playing_players_total',
  'lavalink_uptime_milliseconds',
  'lavalink_memory_free_bytes',
  'lavalink_memory_used_bytes',
  'lavalink_memory_allocated_bytes',
  'lavalink_memory_reservable_bytes',
  'lavalink_cpu_cores',
  'lavalink_cpu_system_load_percentage',
  'lavalink_cpu_lavalink_load_percentage',
];

const ScrapeLabels = ['job', 'instance'];

export interface VocabularyOptions {
  /** `otlp.promote_resource_attributes` of prometheus.yml: these become labels on every OTLP series. */
  readonly promotedResourceAttributes: readonly string[];
  /** Recording rules, whose names become queryable series too. */
  readonly recordingRules?: readonly RecordingRule[];
  readonly spanMetrics: SpanMetricsSettings;
  /** Metric attributes the collector renames on the way to Prometheus (old -> new), e.g. `job` -> `job.name`. */
  readonly attributeRenames?: ReadonlyMap<string, string>;
}

/** Every series name dashboards and rules may use, derived from the catalogue and the stack's other sources. */
export function metricVocabulary(options: VocabularyOptions): Map<string, KnownMetric> {
  const out = new Map<string, KnownMetric>();
  const add = (name: string, source: string, labels: Iterable<string> | 'any'): void => {
    if (out.has(name)) throw new Error(`${name} is produced twice (${out.get(name)?.source} and ${source})`);
    out.set(name, { name, source, labels: labels === 'any' ? 'any' : new Set(labels) });
  };
  const otlpResourceLabels = [...ScrapeLabels, ...options.promotedResourceAttributes.map(prometheusLabelName)];
  const addOtlp = (name: string, unit: string, type: OtlpMetricType, attributes: readonly string[], source: string) => {
    for (const series of prometheusSeriesNames(name, unit, type)) {
      const renamed = attributes.map((attribute) => options.attributeRenames?.get(attribute) ?? attribute);
      const labels = [...otlpResourceLabels, ...renamed.map(prometheusLabelName)];
      add(series, source, series.endsWith('_bucket') ? [...labels, 'le'] : labels);
    }
  };

  for (const spec of InstrumentCatalogue as readonly InstrumentSpec[]) {
    addOtlp(spec.name, spec.unit, otlpTypeOf(spec.kind), spec.attributes, `InstrumentCatalogue ${spec.name}`);
  }
  for (const spec of LibraryInstrumentCatalogue as readonly InstrumentSpec[]) {
    addOtlp(spec.name, spec.unit, otlpTypeOf(spec.kind), spec.attributes, `LibraryInstrumentCatalogue ${spec.name}`);
  }
  for (const metric of spanMetricsInstruments(options.spanMetrics)) {
    addOtlp(metric.name, metric.unit, metric.type, metric.attributes, 'collector span_metrics connector');
  }
  for (const name of CollectorMetrics) add(name, 'collector internal telemetry', [...ScrapeLabels, ...CollectorLabels]);
  for (const name of LavalinkMetrics) add(name, 'Lavalink /metrics', ScrapeLabels);
  add('up', 'Prometheus scrape', ScrapeLabels);
  add('target_info', 'Prometheus OTLP receiver', [
    ...otlpResourceLabels,
    ...ContractResourceAttributes.map(prometheusLabelName),
  ]);
  add('ALERTS', 'Prometheus rule evaluation', 'any');
  add('ALERTS_FOR_STATE', 'Prometheus rule evaluation', 'any');

  for (const rule of options.recordingRules ?? []) {
    add(rule.record, `recording rule ${rule.record}`, recordedLabels(rule, out));
  }
  return out;
}

/**
 * The labels a recorded series can carry: its aggregation's grouping labels (when it aggregates) or else the
 * labels of the series it reads, plus the rule's own static labels. A deliberate over-approximation: it is there
 * to catch labels that cannot exist, not to type-check PromQL.
 */
function recordedLabels(rule: RecordingRule, known: ReadonlyMap<string, KnownMetric>): Set<string> | 'any' {
  const references = parsePromQlReferences(rule.expr);
  const labels = new Set(Object.keys(rule.labels));
  if (references.groupingLabels.length > 0) {
    for (const label of references.groupingLabels) labels.add(label);
    return labels;
  }
  for (const selector of references.selectors) {
    const source = selector.metric === undefined ? undefined : known.get(selector.metric);
    if (source === undefined) continue;
    if (source.labels === 'any') return 'any';
    for (const label of source.labels) labels.add(label);
  }
  return labels;
}
