import type { ConfigIssue } from './ConfigError.js';
import { type ConfigLayer, layerAt } from './ConfigLayer.js';
import { parseKeyValueList } from './parseKeyValueList.js';
import { parseYaml } from './parseYaml.js';
import type { SourceReading } from './readYamlFile.js';

/** Standard numeric `OTEL_*` variables and the key each sets. */
const NumericVariables: ReadonlyArray<readonly [string, readonly [string, ...string[]]]> = [
  ['OTEL_METRIC_EXPORT_INTERVAL', ['telemetry', 'metric_export_interval_ms']],
  ['OTEL_METRIC_EXPORT_TIMEOUT', ['telemetry', 'metric_export_timeout_ms']],
  ['OTEL_BSP_MAX_QUEUE_SIZE', ['telemetry', 'span_batch', 'max_queue_size']],
  ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', ['telemetry', 'span_batch', 'max_export_batch_size']],
  ['OTEL_BSP_SCHEDULE_DELAY', ['telemetry', 'span_batch', 'schedule_delay_ms']],
  ['OTEL_BSP_EXPORT_TIMEOUT', ['telemetry', 'span_batch', 'export_timeout_ms']],
  ['OTEL_BLRP_MAX_QUEUE_SIZE', ['telemetry', 'log_batch', 'max_queue_size']],
  ['OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', ['telemetry', 'log_batch', 'max_export_batch_size']],
  ['OTEL_BLRP_SCHEDULE_DELAY', ['telemetry', 'log_batch', 'schedule_delay_ms']],
  ['OTEL_BLRP_EXPORT_TIMEOUT', ['telemetry', 'log_batch', 'export_timeout_ms']],
];

/** Resource attributes that `OTEL_RESOURCE_ATTRIBUTES` may carry but that have a key of their own. */
const LiftedAttributes: ReadonlyArray<readonly [string, string]> = [
  ['service.name', 'service_name'],
  ['service.namespace', 'service_namespace'],
  ['deployment.environment.name', 'environment'],
];

/**
 * Reads the standard OpenTelemetry variables into layers. They override the `telemetry` section because operators
 * and platforms (Kubernetes operators, vendor agents) set them without knowing our keys.
 *
 * Metrics and logs go over gRPC and traces over HTTP, so `OTEL_EXPORTER_OTLP_ENDPOINT` is used as-is for metrics and
 * logs and gets `/v1/traces` appended for traces; the per-signal variables are used as-is and win over it.
 * `OTEL_EXPORTER_OTLP_HEADERS` is a secret and read with the other secrets.
 */
export function readOtelEnvironment(env: NodeJS.ProcessEnv): SourceReading {
  const layers: ConfigLayer[] = [];
  const issues: ConfigIssue[] = [];
  const read = (name: string) => (env[name] === '' ? undefined : env[name]);
  const set = (path: readonly [string, ...string[]], value: unknown, source: string) =>
    layers.push(layerAt(path, value, source));

  if (read('OTEL_SDK_DISABLED')?.trim().toLowerCase() === 'true') {
    set(['telemetry', 'enabled'], false, 'OTEL_SDK_DISABLED');
  }

  const attributes = read('OTEL_RESOURCE_ATTRIBUTES');
  if (attributes !== undefined) {
    try {
      const parsed = parseKeyValueList(attributes);
      for (const [attribute, key] of LiftedAttributes) {
        const value = parsed[attribute];
        if (value === undefined) continue;
        delete parsed[attribute];
        set(['telemetry', key], value, 'OTEL_RESOURCE_ATTRIBUTES');
      }
      set(['telemetry', 'resource_attributes'], parsed, 'OTEL_RESOURCE_ATTRIBUTES');
    } catch (cause) {
      issues.push({
        key: 'telemetry.resource_attributes',
        source: 'OTEL_RESOURCE_ATTRIBUTES',
        problem: `expected comma-separated key=value pairs: ${cause instanceof Error ? cause.message : String(cause)}`,
      });
    }
  }

  // After OTEL_RESOURCE_ATTRIBUTES: the specification gives OTEL_SERVICE_NAME precedence over its service.name.
  const serviceName = read('OTEL_SERVICE_NAME');
  if (serviceName !== undefined) set(['telemetry', 'service_name'], serviceName, 'OTEL_SERVICE_NAME');

  const base = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base !== undefined) {
    set(['telemetry', 'metrics_endpoint'], base, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    set(['telemetry', 'logs_endpoint'], base, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    set(['telemetry', 'traces_endpoint'], `${base.replace(/\/+$/, '')}/v1/traces`, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  }
  for (const signal of ['metrics', 'logs', 'traces'] as const) {
    const name = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`;
    const endpoint = read(name);
    if (endpoint !== undefined) set(['telemetry', `${signal}_endpoint`], endpoint, name);
  }

  for (const [name, path] of NumericVariables) {
    const raw = read(name);
    if (raw === undefined) continue;
    const parsed = parseYaml(raw);
    if (parsed.ok) set(path, parsed.value, name);
    else issues.push({ key: path.join('.'), source: name, problem: parsed.problem });
  }

  return { layers, issues };
}
