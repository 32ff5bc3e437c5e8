import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InstrumentCatalogue, LibraryInstrumentCatalogue } from '../../src/telemetry/InstrumentCatalogue.js';
import { type DashboardQuery, loadDashboards, promQlOfVariableQuery } from '../support/prometheus/DashboardFiles.js';
import {
  type KnownMetric,
  metricVocabulary,
  type SpanMetricsSettings,
} from '../support/prometheus/MetricVocabulary.js';
import {
  type OtlpMetricType,
  otlpTypeOf,
  prometheusLabelName,
  prometheusMetricName,
  prometheusSeriesNames,
} from '../support/prometheus/OtlpTranslation.js';
import { parsePromQlReferences, tokenizePromQl } from '../support/prometheus/PromQlReferences.js';
import { field, loadRuleGroups } from '../support/prometheus/RuleFiles.js';
import { repoPath } from '../support/prometheus/repoPaths.js';
import { readYamlMapping } from '../support/prometheus/tools.js';

describe('Prometheus OTLP name translation', () => {
  it('adds unit and type suffixes the way Prometheus otlptranslator does', () => {
    // Cases from prometheus/otlptranslator metric_namer_test.go (UnderscoreEscapingWithSuffixes) and its README.
    const cases: [string, string, OtlpMetricType, string][] = [
      ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
      ['requests', '', 'monotonic_sum', 'requests_total'],
      ['cpu_usage', '1', 'gauge', 'cpu_usage_ratio'],
      ['items', '1', 'monotonic_sum', 'items_total'],
      ['response_time', 'ms', 'gauge', 'response_time_milliseconds'],
      ['memory_usage', 'By', 'gauge', 'memory_usage_bytes'],
      ['requests', '1/s', 'gauge', 'requests_per_second'],
      ['throughput', 'By/s', 'gauge', 'throughput_bytes_per_second'],
      ['custom_metric', '{custom}', 'gauge', 'custom_metric'],
      ['custom_metric', 'By/{custom}', 'gauge', 'custom_metric_bytes'],
      ['requests_total', '', 'monotonic_sum', 'requests_total'],
      ['cpu_usage_ratio', '1', 'gauge', 'cpu_usage_ratio'],
      ['response_time_seconds', 's', 'gauge', 'response_time_seconds'],
      ['active_connections', '', 'non_monotonic_sum', 'active_connections'],
      ['uptime', 'd', 'gauge', 'uptime_days'],
      [
        'metric__with__multiple__underscores',
        'unit__multiple__underscores',
        'gauge',
        'metric_with_multiple_underscores_unit_multiple_underscores',
      ],
    ];
    for (const [name, unit, type, expected] of cases) {
      assert.equal(prometheusMetricName(name, unit, type), expected, `${name} [${unit}] ${type}`);
    }
  });

  it('translates the telemetry contract the way DESIGN.md documents it', () => {
    assert.equal(
      prometheusMetricName('metronome.command.duration', 's', 'histogram'),
      'metronome_command_duration_seconds',
    );
    assert.deepEqual(prometheusSeriesNames('metronome.command.duration', 's', 'histogram'), [
      'metronome_command_duration_seconds_bucket',
      'metronome_command_duration_seconds_sum',
      'metronome_command_duration_seconds_count',
    ]);
    assert.deepEqual(prometheusSeriesNames('metronome.discord.rest.requests', '{request}', 'monotonic_sum'), [
      'metronome_discord_rest_requests_total',
    ]);
    assert.equal(
      prometheusMetricName('metronome.discord.shard.status', '1', 'gauge'),
      'metronome_discord_shard_status_ratio',
    );
    assert.equal(
      prometheusMetricName('metronome.job.last_success.age', 's', 'gauge'),
      'metronome_job_last_success_age_seconds',
    );
    assert.equal(
      prometheusMetricName('metronome.playback.time', 's', 'monotonic_sum'),
      'metronome_playback_time_seconds_total',
    );
    assert.equal(prometheusMetricName('metronome.job.active', '{job}', 'non_monotonic_sum'), 'metronome_job_active');
  });

  it('turns attribute keys into label names', () => {
    assert.equal(prometheusLabelName('shard.id'), 'shard_id');
    assert.equal(prometheusLabelName('lavalink.node'), 'lavalink_node');
    assert.equal(prometheusLabelName('db.operation.name'), 'db_operation_name');
    assert.equal(prometheusLabelName('status_code'), 'status_code');
    assert.equal(prometheusLabelName('123abc'), 'key_123abc');
    assert.equal(prometheusLabelName('_private'), 'key_private');
    assert.equal(prometheusLabelName('__reserved__'), '__reserved__');
  });

  it('exports counters as monotonic sums and up-down counters as non-monotonic ones', () => {
    assert.equal(otlpTypeOf('counter'), 'monotonic_sum');
    assert.equal(otlpTypeOf('observable_counter'), 'monotonic_sum');
    assert.equal(otlpTypeOf('updowncounter'), 'non_monotonic_sum');
    assert.equal(otlpTypeOf('observable_gauge'), 'gauge');
    assert.equal(otlpTypeOf('histogram'), 'histogram');
  });
});

describe('PromQL reference extraction', () => {
  it('finds metric names and their matchers', () => {
    const { selectors } = parsePromQlReferences(
      'sum(rate(metronome_command_duration_seconds_count{outcome="error", command=~"play|skip"}[5m])) / up',
    );
    assert.deepEqual(selectors, [
      {
        metric: 'metronome_command_duration_seconds_count',
        matchers: [
          { label: 'outcome', op: '=', value: 'error' },
          { label: 'command', op: '=~', value: 'play|skip' },
        ],
      },
      { metric: 'up', matchers: [] },
    ]);
  });

  it('does not take functions, aggregations, grouping labels or keywords for metrics', () => {
    const { selectors, groupingLabels } = parsePromQlReferences(`
      histogram_quantile(0.95, sum by (le, command) (rate(a_bucket[5m])))
        > on (command) group_left (outcome) topk(5, b) and bool c unless d offset 6h or vector(1)`);
    assert.deepEqual(
      selectors.map((selector) => selector.metric),
      ['a_bucket', 'b', 'c', 'd'],
    );
    assert.deepEqual(groupingLabels, ['le', 'command', 'command', 'outcome']);
  });

  it('reads grouping written after the aggregated expression', () => {
    const { groupingLabels, selectors } = parsePromQlReferences('sum(rate(x_total[5m])) without (instance, job)');
    assert.deepEqual(groupingLabels, ['instance', 'job']);
    assert.deepEqual(
      selectors.map((selector) => selector.metric),
      ['x_total'],
    );
  });

  it('treats ranges, subqueries and Grafana variables as opaque', () => {
    const { selectors } = parsePromQlReferences(
      'max_over_time(rate(x_total{env=~"$env"}[$__rate_interval])[1h:5m]) * on() group_left $factor',
    );
    assert.deepEqual(selectors, [{ metric: 'x_total', matchers: [{ label: 'env', op: '=~', value: '$env' }] }]);
  });

  it('reads recording rule names with colons and names given as __name__', () => {
    const { selectors } = parsePromQlReferences('metronome:command_requests:rate5m + {__name__="up", job="x"}');
    assert.deepEqual(
      selectors.map((selector) => selector.metric),
      ['metronome:command_requests:rate5m', 'up'],
    );
  });

  it('skips comments and string arguments', () => {
    const { selectors } = parsePromQlReferences(
      '# not_a_metric{}\nlabel_replace(x, "dst", "$1", "src", "(.*)") # trailing comment',
    );
    assert.deepEqual(
      selectors.map((selector) => selector.metric),
      ['x'],
    );
  });

  it('rejects an unknown function instead of taking it for a metric', () => {
    assert.throws(() => parsePromQlReferences('histogram_quantil(0.9, x)'), /unknown function histogram_quantil/);
  });

  it('tokenizes durations and numbers as numbers', () => {
    const kinds = tokenizePromQl('x offset 1h30m > 1e-3').map((token) => token.kind);
    assert.deepEqual(kinds, ['identifier', 'identifier', 'number', 'punct', 'number']);
  });
});

/** The span_metrics connector settings, read from the collector config the stack runs. */
function spanMetricsSettings(): SpanMetricsSettings {
  const dir = repoPath('otel-collector');
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)) : [];
  for (const name of files) {
    const connector = field(field(readYamlMapping(join(dir, name)), 'connectors'), 'span_metrics');
    if (connector === undefined) continue;
    const dimensions = field(connector, 'dimensions');
    return {
      durationUnit: String(field(field(connector, 'histogram'), 'unit') ?? 'ms'),
      dimensions: Array.isArray(dimensions) ? dimensions.map((dimension) => String(field(dimension, 'name'))) : [],
    };
  }
  // No connector configured: the connector's own defaults, which the dashboards are not written against.
  return { durationUnit: 'ms', dimensions: [] };
}

/**
 * Metric attributes the collector renames on the way to Prometheus (`set(datapoint.attributes["new"],
 * datapoint.attributes["old"])` in a transform processor's metric_statements), old -> new.
 */
function collectorAttributeRenames(): Map<string, string> {
  const dir = repoPath('otel-collector');
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)) : [];
  const renames = new Map<string, string>();
  for (const name of files) {
    const processors = field(readYamlMapping(join(dir, name)), 'processors');
    if (processors === undefined || typeof processors !== 'object') continue;
    for (const settings of Object.values(processors as Record<string, unknown>)) {
      const statements = field(settings, 'metric_statements');
      if (!Array.isArray(statements)) continue;
      for (const statement of statements) {
        const match = /^set\(datapoint\.attributes\["([^"]+)"\], datapoint\.attributes\["([^"]+)"\]\)/.exec(
          String(statement),
        );
        if (match?.[1] !== undefined && match[2] !== undefined) renames.set(match[2], match[1]);
      }
    }
  }
  return renames;
}

const prometheusConfig = readYamlMapping(repoPath('config', 'prometheus', 'prometheus.yml'));
const promoted = field(field(prometheusConfig, 'otlp'), 'promote_resource_attributes');
const groups = loadRuleGroups(repoPath('config', 'prometheus', 'rules'));
const vocabulary = metricVocabulary({
  promotedResourceAttributes: Array.isArray(promoted) ? promoted.map(String) : [],
  recordingRules: groups.flatMap((group) => group.recordings),
  spanMetrics: spanMetricsSettings(),
  attributeRenames: collectorAttributeRenames(),
});
const dashboards = loadDashboards(repoPath('config', 'grafana', 'dashboards'));

interface Expression {
  readonly where: string;
  readonly expr: string;
  /** A label a `label_values` variable lists, which must exist too. */
  readonly listedLabel?: string;
}

const ruleExpressions: Expression[] = groups.flatMap((group) => [
  ...group.alerts.map((alert) => ({ where: `alert ${alert.alert}`, expr: alert.expr })),
  ...group.recordings.map((rule) => ({ where: `recording rule ${rule.record}`, expr: rule.expr })),
]);

function isPrometheusQuery(query: DashboardQuery): boolean {
  return query.datasource?.type === 'prometheus';
}

const dashboardExpressions: Expression[] = dashboards.flatMap((dashboard) =>
  dashboard.queries.filter(isPrometheusQuery).map((query) => {
    const where = `${dashboard.uid} ${query.where}`;
    if (query.kind !== 'variable') return { where, expr: query.query };
    const { expr, label } = promQlOfVariableQuery(query.query);
    return label === undefined ? { where, expr } : { where, expr, listedLabel: label };
  }),
);

function unknownMetrics(expressions: readonly Expression[]): string[] {
  return expressions.flatMap(({ where, expr }) =>
    parsePromQlReferences(expr)
      .selectors.filter((selector) => selector.metric === undefined || !vocabulary.has(selector.metric))
      .map((selector) => `${where}: ${selector.metric ?? '(no metric name)'}`),
  );
}

function unknownLabels(expressions: readonly Expression[]): string[] {
  const problems: string[] = [];
  for (const { where, expr, listedLabel } of expressions) {
    const references = parsePromQlReferences(expr);
    const metrics = references.selectors
      .map((selector) => (selector.metric === undefined ? undefined : vocabulary.get(selector.metric)))
      .filter((metric): metric is KnownMetric => metric !== undefined);
    for (const selector of references.selectors) {
      const metric = selector.metric === undefined ? undefined : vocabulary.get(selector.metric);
      if (metric === undefined || metric.labels === 'any') continue;
      for (const matcher of selector.matchers) {
        if (matcher.label !== '__name__' && !metric.labels.has(matcher.label)) {
          problems.push(`${where}: ${metric.name} has no label ${matcher.label}`);
        }
      }
    }
    if (metrics.some((metric) => metric.labels === 'any')) continue;
    const available = new Set(metrics.flatMap((metric) => (metric.labels === 'any' ? [] : [...metric.labels])));
    for (const label of [...references.groupingLabels, ...(listedLabel === undefined ? [] : [listedLabel])]) {
      if (!available.has(label)) problems.push(`${where}: no metric it reads has the label ${label}`);
    }
  }
  return problems;
}

describe('metric names in rules and dashboards', () => {
  it('derives one distinct Prometheus name for every instrument of the contract and the libraries', () => {
    for (const spec of [...InstrumentCatalogue, ...LibraryInstrumentCatalogue]) {
      for (const series of prometheusSeriesNames(spec.name, spec.unit, otlpTypeOf(spec.kind))) {
        assert.ok(vocabulary.has(series), series);
      }
    }
    for (const name of [
      'metronome_discord_shard_status_ratio',
      'metronome_lavalink_node_up_ratio',
      'metronome_lavalink_node_memory_used_bytes',
      'metronome_job_last_success_age_seconds',
      'nodejs_eventloop_time_seconds_total',
      'v8js_memory_heap_used_bytes',
      'v8js_memory_heap_space_size_bytes',
      'db_client_connection_count',
      // host-metrics reports these without a unit, so Prometheus adds no suffix.
      'process_memory_usage',
      'process_cpu_utilization',
    ]) {
      assert.ok(vocabulary.has(name), name);
    }
  });

  it("names the span metrics after the collector's span_metrics connector", () => {
    assert.ok(vocabulary.has('traces_span_metrics_calls_total'));
    assert.ok(
      vocabulary.has('traces_span_metrics_duration_seconds_bucket'),
      'the dashboards read seconds: the connector must set histogram.unit: s',
    );
  });

  it('uses in rules only metrics that Prometheus will hold', () => {
    assert.deepEqual(unknownMetrics(ruleExpressions), []);
  });

  it('uses in dashboards only metrics that Prometheus will hold', () => {
    assert.ok(dashboardExpressions.length > 50, 'dashboards were read');
    assert.deepEqual(unknownMetrics(dashboardExpressions), []);
  });

  it('selects and groups rule metrics only by labels they carry', () => {
    assert.deepEqual(unknownLabels(ruleExpressions), []);
  });

  it('selects, groups and lists dashboard metrics only by labels they carry', () => {
    assert.deepEqual(unknownLabels(dashboardExpressions), []);
  });

  it('shows every instrument of the contract somewhere, on a dashboard or in a rule', () => {
    const used = new Set(
      [...ruleExpressions, ...dashboardExpressions].flatMap(({ expr }) =>
        parsePromQlReferences(expr).selectors.map((selector) => selector.metric),
      ),
    );
    const recordedFrom = new Set<string | undefined>();
    for (const group of groups) {
      for (const rule of group.recordings) {
        if (!used.has(rule.record)) continue;
        for (const selector of parsePromQlReferences(rule.expr).selectors) recordedFrom.add(selector.metric);
      }
    }
    for (const spec of InstrumentCatalogue) {
      const series = prometheusSeriesNames(spec.name, spec.unit, otlpTypeOf(spec.kind));
      assert.ok(
        series.some((name) => used.has(name) || recordedFrom.has(name)),
        `${spec.name} (${series.join(', ')}) is on no dashboard and in no rule`,
      );
    }
  });
});
