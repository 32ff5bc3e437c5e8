import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InstrumentCatalogue } from '../../src/telemetry/InstrumentCatalogue.js';
import { AttributeNames, SpanNames } from '../../src/telemetry/TelemetryNames.js';
import {
  CollectorFolder,
  type CollectorPipeline,
  ComponentKinds,
  collectorConfigFiles,
  componentSettings,
  componentType,
  definedComponents,
  loadCollectorConfig,
  pipelinesOf,
} from '../support/stack/collectorConfig.js';
import { listFiles, readYaml } from '../support/stack/readYaml.js';
import { repoPath } from '../support/stack/repoRoot.js';
import {
  asList,
  asMap,
  asNumber,
  asOptionalList,
  asOptionalMap,
  asString,
  asStringList,
  dig,
  type YamlMap,
} from '../support/stack/shape.js';

/** The duration buckets of the telemetry contract, in seconds. */
const ContractBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The latency SLO threshold (99 % of commands within 1 s): slower commands are always kept by tail sampling. */
const SlowCommandThresholdMs = 1000;

/**
 * Component types as collector-contrib names them since the lower_snake_case renames (0.144 for the OTLP exporters,
 * later releases for span_metrics and resource_detection). The old names still load as deprecated aliases, which
 * is exactly why a test has to keep them out.
 */
const CurrentTypes: Record<(typeof ComponentKinds)[number], readonly string[]> = {
  receivers: ['otlp'],
  processors: ['memory_limiter', 'resource_detection', 'transform', 'tail_sampling'],
  connectors: ['span_metrics', 'forward'],
  exporters: ['otlp_grpc', 'otlp_http'],
  extensions: ['health_check'],
};
const DeprecatedAliases = ['otlphttp', 'spanmetrics', 'resourcedetection', 'tailsampling', 'memorylimiter'];

function settings(config: YamlMap, kind: (typeof ComponentKinds)[number], id: string): YamlMap {
  return componentSettings(config, kind, id);
}

/** Go duration text as the collector accepts it in bucket lists (`5ms`, `2500ms`, `1s`) -> seconds. */
function durationSeconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  assert.ok(match, `${text} is a duration in ms or s`);
  const value = Number(match[1]);
  return match[2] === 'ms' ? value / 1000 : value;
}

/** The pipelines a signal passes through from `start`, following connectors (receivers of later pipelines). */
function downstream(pipelines: readonly CollectorPipeline[], start: CollectorPipeline): CollectorPipeline[] {
  const seen = new Map<string, CollectorPipeline>([[start.id, start]]);
  const queue = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const exporter of current.exporters) {
      for (const next of pipelines.filter((candidate) => candidate.receivers.includes(exporter))) {
        if (!seen.has(next.id)) {
          seen.set(next.id, next);
          queue.push(next);
        }
      }
    }
  }
  return [...seen.values()];
}

/**
 * Attribute and log-field keys that the bot's code assigns a Discord user id to (`key: <something>.user.id`),
 * resolving `[AttributeNames.X]` through the telemetry vocabulary. The sandbox (a fake Discord) is left out: it builds
 * Discord payloads, not telemetry.
 */
/**
 * Keys that hold a user id in memory but never reach a log or span, each with where it lives. The scan below is
 * textual, so these are named here rather than hashed in the collector for nothing.
 */
const InMemoryOnlyKeys: ReadonlyMap<string, string> = new Map([
  ['ownerId', 'src/discord/components/SearchSessions.ts: who may pick from /search results'],
]);

function userIdKeysInSource(): Set<string> {
  const names: Readonly<Record<string, string>> = AttributeNames;
  const keys = new Set<string>();
  const sourceRoot = repoPath('src');
  for (const file of readdirSync(sourceRoot, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.startsWith('sandbox')) continue;
    const text = readFileSync(join(sourceRoot, file), 'utf8');
    for (const match of text.matchAll(
      /(\[AttributeNames\.(\w+)\]|'([^']+)'|"([^"]+)"|(\w+))\s*:\s*[\w.?]+\.user\.id\b/g,
    )) {
      const [, , constant, single, double, bare] = match;
      const key = constant === undefined ? (single ?? double ?? bare) : names[constant];
      assert.ok(key, `${file}: ${match[0]} names a known key`);
      if (!InMemoryOnlyKeys.has(key)) keys.add(key);
    }
  }
  return keys;
}

describe('the collector config', () => {
  const config = loadCollectorConfig();
  const pipelines = pipelinesOf(config);

  describe('layout', () => {
    it('has one file per concern, and no two files define the same section, so the load order does not matter', () => {
      const owners = new Map<string, string>();
      for (const file of collectorConfigFiles()) {
        const layer = asMap(readYaml(`${CollectorFolder}/${file}`), file);
        for (const [section, value] of Object.entries(layer)) {
          const keys = section === 'service' ? [section] : Object.keys(asOptionalMap(value, section));
          for (const key of keys) {
            const path = `${section}.${key}`;
            assert.equal(owners.get(path), undefined, `${path} is defined in both ${owners.get(path)} and ${file}`);
            owners.set(path, file);
          }
        }
      }
      assert.deepEqual(collectorConfigFiles(), [
        'connectors.yaml',
        'exporters.yaml',
        'extensions.yaml',
        'processors.yaml',
        'receivers.yaml',
        'service.yaml',
      ]);
    });

    it('keeps every pipeline in one file, because merging replaces lists instead of appending to them', () => {
      const files = collectorConfigFiles().filter((file) => {
        const layer = asMap(readYaml(`${CollectorFolder}/${file}`), file);
        return 'service' in layer;
      });
      assert.deepEqual(files, ['service.yaml']);
    });
  });

  describe('pipelines', () => {
    it('reference only defined components, connectors counting as receivers and exporters', () => {
      const receivers = new Set([
        ...definedComponents(config, 'receivers'),
        ...definedComponents(config, 'connectors'),
      ]);
      const exporters = new Set([
        ...definedComponents(config, 'exporters'),
        ...definedComponents(config, 'connectors'),
      ]);
      const processors = new Set(definedComponents(config, 'processors'));
      for (const { id, receivers: r, processors: p, exporters: e } of pipelines) {
        for (const name of r) assert.ok(receivers.has(name), `${id}: receiver ${name} is defined`);
        for (const name of p) assert.ok(processors.has(name), `${id}: processor ${name} is defined`);
        for (const name of e) assert.ok(exporters.has(name), `${id}: exporter ${name} is defined`);
        assert.ok(r.length > 0 && e.length > 0, `${id} has at least one receiver and one exporter`);
      }
      const extensions = new Set(definedComponents(config, 'extensions'));
      for (const name of asStringList(dig(config, 'service.extensions'), 'service.extensions')) {
        assert.ok(extensions.has(name), `service.extensions: ${name} is defined`);
      }
    });

    it('use every defined component, so nothing configured is silently inactive', () => {
      const used = {
        receivers: new Set(pipelines.flatMap((p) => p.receivers)),
        processors: new Set(pipelines.flatMap((p) => p.processors)),
        exporters: new Set(pipelines.flatMap((p) => p.exporters)),
      };
      for (const name of definedComponents(config, 'receivers')) assert.ok(used.receivers.has(name), name);
      for (const name of definedComponents(config, 'processors')) assert.ok(used.processors.has(name), name);
      for (const name of definedComponents(config, 'exporters')) assert.ok(used.exporters.has(name), name);
      for (const name of definedComponents(config, 'connectors')) {
        assert.ok(used.exporters.has(name), `connector ${name} is an exporter of some pipeline`);
        assert.ok(used.receivers.has(name), `connector ${name} is a receiver of some pipeline`);
      }
      const extensions = asStringList(dig(config, 'service.extensions'), 'service.extensions');
      assert.deepEqual([...extensions].sort(), definedComponents(config, 'extensions').sort());
    });

    it('put memory_limiter first in every pipeline', () => {
      for (const { id, processors } of pipelines) {
        assert.equal(processors[0], 'memory_limiter', `${id} starts with memory_limiter`);
      }
    });

    it('use the current snake_case component names, not the deprecated aliases', () => {
      for (const kind of ComponentKinds) {
        for (const id of definedComponents(config, kind)) {
          const type = componentType(id);
          assert.ok(!DeprecatedAliases.includes(type), `${kind}.${id} uses the deprecated alias ${type}`);
          assert.ok(CurrentTypes[kind].includes(type), `${kind}.${id}: ${type} is one of ${CurrentTypes[kind]}`);
        }
      }
    });

    it('cover all three signals, each starting at the OTLP receiver', () => {
      for (const signal of ['traces', 'metrics', 'logs']) {
        assert.ok(
          pipelines.some((p) => p.signal === signal && p.receivers.includes('otlp')),
          `a ${signal} pipeline receives from otlp`,
        );
      }
    });
  });

  describe('span metrics', () => {
    it('are computed from every trace: span_metrics is exported by the traces pipeline before any sampling', () => {
      const fromOtlp = pipelines.filter((p) => p.signal === 'traces' && p.receivers.includes('otlp'));
      assert.equal(fromOtlp.length, 1, 'one traces pipeline takes the OTLP traces');
      const [entry] = fromOtlp;
      assert.ok(entry);
      assert.ok(entry.exporters.includes('span_metrics'));
      assert.ok(!entry.processors.includes('tail_sampling'), 'no sampling before span_metrics');
    });

    it('feed a metrics pipeline that exports to Prometheus', () => {
      const consumers = pipelines.filter((p) => p.receivers.includes('span_metrics'));
      assert.ok(consumers.length > 0);
      for (const consumer of consumers) {
        assert.equal(consumer.signal, 'metrics');
        assert.ok(consumer.exporters.includes('otlp_http/prometheus'), `${consumer.id} exports to Prometheus`);
      }
    });

    it('attach exemplars and use the contract buckets in seconds', () => {
      const spanMetrics = settings(config, 'connectors', 'span_metrics');
      assert.equal(dig(spanMetrics, 'exemplars.enabled'), true);
      assert.equal(dig(spanMetrics, 'histogram.unit'), 's');
      const buckets = asList(dig(spanMetrics, 'histogram.explicit.buckets'), 'buckets').map((b) =>
        durationSeconds(asString(b, 'bucket')),
      );
      assert.deepEqual(buckets, ContractBuckets);
    });

    it('add only low-cardinality dimensions, never an id', () => {
      const spanMetrics = settings(config, 'connectors', 'span_metrics');
      const dimensions = asOptionalList(spanMetrics.dimensions, 'dimensions').map((d) =>
        asString(asMap(d, 'dimension').name, 'dimension.name'),
      );
      for (const dimension of dimensions) {
        assert.ok(!/(^|\.)id$/.test(dimension) && !dimension.endsWith('.ids'), `${dimension} is not an id`);
      }
      assert.ok(!dimensions.includes(AttributeNames.DiscordUserId));
    });
  });

  describe('tail sampling', () => {
    const sampling = settings(config, 'processors', 'tail_sampling');
    const policies = asList(sampling.policies, 'tail_sampling.policies').map((p, i) => asMap(p, `policies[${i}]`));
    const byType = (type: string) => policies.filter((p) => p.type === type);

    it('runs only on the copy of the traces bound for Tempo, and is the only way to Tempo', () => {
      for (const p of pipelines) {
        if (p.exporters.includes('otlp_grpc/tempo')) {
          assert.ok(p.processors.includes('tail_sampling'), `${p.id} samples before exporting to Tempo`);
        }
        if (p.processors.includes('tail_sampling')) {
          assert.ok(!p.exporters.includes('span_metrics'), `${p.id} does not feed span_metrics sampled traces`);
        }
      }
      const entry = pipelines.find((p) => p.signal === 'traces' && p.receivers.includes('otlp'));
      assert.ok(entry);
      const reached = downstream(pipelines, entry);
      assert.ok(
        reached.some((p) => p.exporters.includes('otlp_grpc/tempo')),
        'OTLP traces reach Tempo',
      );
    });

    it('keeps every trace with an error', () => {
      const codes = byType('status_code').flatMap((p) =>
        asStringList(dig(p, 'status_code.status_codes'), 'status_codes'),
      );
      assert.ok(codes.includes('ERROR'));
    });

    it('keeps every command slower than the 1 s latency threshold', () => {
      const slow = byType('and').find((p) => {
        const subs = asList(dig(p, 'and.and_sub_policy'), 'and_sub_policy').map((s) => asMap(s, 'sub'));
        return subs.some((s) => s.type === 'latency') && subs.some((s) => s.type === 'ottl_condition');
      });
      assert.ok(slow, 'an and-policy of latency and a span-name condition');
      const subs = asList(dig(slow, 'and.and_sub_policy'), 'and_sub_policy').map((s) => asMap(s, 'sub'));
      const latency = subs.find((s) => s.type === 'latency');
      assert.equal(asNumber(dig(latency, 'latency.threshold_ms'), 'threshold_ms'), SlowCommandThresholdMs);
      const condition = subs.find((s) => s.type === 'ottl_condition');
      const [statement] = asStringList(dig(condition, 'ottl_condition.span'), 'ottl_condition.span');
      const pattern = /IsMatch\(name, "([^"]+)"\)/.exec(statement ?? '');
      assert.ok(pattern?.[1], 'the condition matches the span name with a regex');
      const regex = new RegExp(pattern[1]);
      assert.ok(regex.test(SpanNames.command('play')), 'command spans match');
      assert.ok(!regex.test(SpanNames.job('heartbeat')) && !regex.test(SpanNames.TrackPlay), 'other spans do not');
    });

    it('keeps a probabilistic baseline of 10 %', () => {
      const percentages = byType('probabilistic').map((p) =>
        asNumber(dig(p, 'probabilistic.sampling_percentage'), 'sampling_percentage'),
      );
      assert.deepEqual(percentages, [10]);
    });

    it('drops health-check traffic, whatever else matches', () => {
      const drops = byType('drop').flatMap((p) =>
        asList(dig(p, 'drop.drop_sub_policy'), 'drop_sub_policy').map((s) => asMap(s, 'sub')),
      );
      const patterns = drops
        .filter((s) => s.type === 'string_attribute' && dig(s, 'string_attribute.key') === 'url.path')
        .flatMap((s) => asStringList(dig(s, 'string_attribute.values'), 'values').map((v) => new RegExp(v)));
      for (const path of ['/livez', '/readyz', '/healthz', '/readyz/database']) {
        assert.ok(
          patterns.some((p) => p.test(path)),
          `${path} is dropped`,
        );
      }
      assert.ok(!patterns.some((p) => p.test('/api/v10/interactions')), 'ordinary requests are not dropped');
    });
  });

  describe('metric attributes Prometheus would overwrite', () => {
    // Prometheus' OTLP translation sets `job` (from service.namespace/service.name) and `instance` (from
    // service.instance.id) after copying a data point's attributes: a metric attribute of that name is lost.
    const reserved = ['job', 'instance'];
    const transform = settings(config, 'processors', 'transform/job_attribute');
    const statements = asStringList(transform.metric_statements, 'metric_statements');

    it('renames every catalogue attribute named like a label Prometheus keeps for itself, on the metrics pipeline', () => {
      const colliding = [
        ...new Set(InstrumentCatalogue.flatMap((i) => i.attributes.filter((a) => reserved.includes(a)))),
      ];
      assert.deepEqual(colliding, ['job'], 'the catalogue still has a job attribute to rename');
      for (const name of colliding) {
        assert.ok(
          statements.includes(
            `set(datapoint.attributes["${name}.name"], datapoint.attributes["${name}"]) where datapoint.attributes["${name}"] != nil`,
          ),
          `${name} is copied to ${name}.name`,
        );
        assert.ok(statements.includes(`delete_key(datapoint.attributes, "${name}")`), `${name} is removed`);
      }
      const metrics = pipelines.find((p) => p.signal === 'metrics' && p.receivers.includes('otlp'));
      assert.ok(metrics?.processors.includes('transform/job_attribute'), 'the metrics pipeline renames');
      for (const p of pipelines.filter((p) => p.signal !== 'metrics')) {
        assert.ok(!p.processors.includes('transform/job_attribute'), `${p.id} leaves span and log attributes alone`);
      }
    });

    it('the rules, dashboards and runbook query the renamed label, never a job label of a metronome_job metric', () => {
      const inFolder = (folder: string, extension: string) =>
        listFiles(folder, [extension]).map((name) => repoPath(folder, name));
      const files = [
        ...inFolder('config/prometheus/rules', '.yml'),
        ...inFolder('config/prometheus/rules/tests', '.yml'),
        ...inFolder('config/grafana/dashboards', '.json'),
        repoPath('docs/runbook.md'),
      ];
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        // job="<namespace>/<service>" selects a service; job="heartbeat" would mean the lost attribute.
        assert.doesNotMatch(
          text,
          /metronome_job_[a-z_]+\{[^}]*\bjob=~?"(?![^"]*(?:metronome|\/))/,
          `${file}: a job= selector on a job metric`,
        );
        assert.doesNotMatch(
          text,
          /by \((?:[a-z_]+, )*job(?:, [a-z_]+)*\) \(\S*metronome_job_/,
          `${file}: grouped by job`,
        );
      }
    });
  });

  describe('redaction of Discord user ids', () => {
    const transform = settings(config, 'processors', 'transform/redact_user_ids');
    const spanStatements = asStringList(transform.trace_statements, 'trace_statements');
    const logStatements = asStringList(transform.log_statements, 'log_statements');
    const hashed = (statements: readonly string[], context: string) =>
      statements.flatMap((s) => {
        const match = new RegExp(`^set\\(${context}\\.attributes\\["([^"]+)"\\], SHA256\\(`).exec(s);
        return match?.[1] === undefined ? [] : [match[1]];
      });

    it('runs on traces and logs, before anything is exported or sampled', () => {
      for (const signal of ['traces', 'logs']) {
        const entry = pipelines.find((p) => p.signal === signal && p.receivers.includes('otlp'));
        assert.ok(entry?.processors.includes('transform/redact_user_ids'), `${signal} pipeline redacts`);
        assert.equal(entry?.processors.at(-1), 'transform/redact_user_ids', `${signal}: redaction is the last step`);
      }
    });

    it('hashes the span attribute and the log attributes with a salted SHA-256 by default', () => {
      assert.deepEqual(hashed(spanStatements, 'span'), [AttributeNames.DiscordUserId]);
      assert.ok(hashed(logStatements, 'log').includes(AttributeNames.DiscordUserId));
      for (const statement of [...spanStatements, ...logStatements].filter((s) => s.includes('SHA256'))) {
        assert.match(statement, /SHA256\(Concat\(\["\$\{env:USER_ID_HASH_SALT\}", /);
      }
    });

    it('covers every key under which the code records a Discord user id', () => {
      const keys = userIdKeysInSource();
      assert.ok(keys.size > 0, 'the scan finds the interaction pipeline');
      for (const key of keys) assert.ok(hashed(logStatements, 'log').includes(key), `log attribute ${key} is hashed`);
    });

    it('fails closed: an id that did not end up as a SHA-256 hex string is deleted', () => {
      for (const [context, statements] of [
        ['span', spanStatements],
        ['log', logStatements],
      ] as const) {
        for (const key of hashed(statements, context)) {
          const set = statements.findIndex((s) => s.startsWith(`set(${context}.attributes["${key}"]`));
          const guard = statements.findIndex(
            (s) => s.startsWith(`delete_key(${context}.attributes, "${key}") where `) && s.includes('"^[0-9a-f]{64}$"'),
          );
          assert.ok(guard > set, `${context} ${key}: a guard after the hash deletes anything that is not a hash`);
        }
      }
    });

    it('has balanced parentheses, brackets and quotes in every OTTL statement', () => {
      for (const statement of [...spanStatements, ...logStatements]) {
        const withoutStrings = statement.replace(/"(?:[^"\\]|\\.)*"/g, '""');
        assert.equal((statement.match(/"/g) ?? []).length % 2, 0, `quotes in ${statement}`);
        for (const [open, close] of [
          ['(', ')'],
          ['[', ']'],
        ] as const) {
          assert.equal(
            withoutStrings.split(open).length,
            withoutStrings.split(close).length,
            `${open}${close} in ${statement}`,
          );
        }
      }
    });

    it('switches to dropping the ids with the overlay, and the config stays valid', () => {
      assert.deepEqual(listFiles('otel-collector/overlays'), ['redaction-drop.yaml']);
      const dropping = loadCollectorConfig(['redaction-drop.yaml']);
      const redact = componentSettings(dropping, 'processors', 'transform/redact_user_ids');
      const deleted = (field: string, context: string) =>
        asStringList(redact[field], field).map((s) => {
          const match = new RegExp(`^delete_key\\(${context}\\.attributes, "([^"]+)"\\)$`).exec(s);
          assert.ok(match?.[1], `${s} is an unconditional delete`);
          return match[1];
        });
      assert.deepEqual(deleted('trace_statements', 'span'), hashed(spanStatements, 'span'));
      assert.deepEqual(deleted('log_statements', 'log'), hashed(logStatements, 'log'));
      assert.deepEqual(pipelinesOf(dropping), pipelines, 'the overlay leaves the pipelines alone');
    });
  });

  describe('exporters', () => {
    it('batch in a bounded sending queue instead of a batch processor', () => {
      assert.ok(!definedComponents(config, 'processors').some((id) => componentType(id) === 'batch'));
      for (const id of definedComponents(config, 'exporters')) {
        const queue = asMap(settings(config, 'exporters', id).sending_queue, `${id}.sending_queue`);
        assert.equal(queue.enabled, true, `${id} queue enabled`);
        assert.equal(queue.block_on_overflow, false, `${id} never blocks the pipeline forever`);
        assert.ok(asNumber(queue.queue_size, `${id}.queue_size`) > 0);
        const batch = asMap(queue.batch, `${id}.sending_queue.batch`);
        assert.ok(batch.flush_timeout !== undefined, `${id} flushes partial batches`);
      }
    });

    it('send each signal to its backend: metrics to Prometheus, logs to Loki, sampled traces to Tempo', () => {
      const exportersOf = (signal: string) =>
        new Set(pipelines.filter((p) => p.signal === signal).flatMap((p) => p.exporters));
      assert.ok(exportersOf('metrics').has('otlp_http/prometheus'));
      assert.ok(exportersOf('logs').has('otlp_http/loki'));
      assert.ok(exportersOf('traces').has('otlp_grpc/tempo'));
    });
  });

  describe('the collector itself', () => {
    it('answers health checks on 13133', () => {
      const endpoint = asString(dig(settings(config, 'extensions', 'health_check'), 'endpoint'), 'endpoint');
      assert.equal(endpoint, '0.0.0.0:13133');
    });

    it('exposes its own metrics for Prometheus to scrape on 8888', () => {
      const readers = asList(dig(config, 'service.telemetry.metrics.readers'), 'readers');
      const pull = readers.map((r) => asMap(r, 'reader')).find((r) => r.pull !== undefined);
      assert.ok(pull, 'a pull reader');
      const prometheus = asMap(dig(pull, 'pull.exporter.prometheus'), 'prometheus');
      assert.equal(prometheus.host, '0.0.0.0');
      assert.equal(prometheus.port, 8888);
    });
  });
});
