import { readFileSync } from 'node:fs';
import type { ConfigCheck } from './config/loadConfig.js';
import { parseKeyValueList } from './config/parseKeyValueList.js';
import type { Config } from './config/schema.js';
import { HostAllowList } from './music/HostAllowList.js';
import { Redactor } from './telemetry/Redactor.js';
import type { TelemetryOptions } from './telemetry/TelemetrySdk.js';

/** The version in package.json (`service.version`), read once at start-up. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Maps the `telemetry.*` config section to the SDK's options. */
export function telemetryOptionsFrom(config: Config, version: string): TelemetryOptions {
  const t = config.telemetry;
  const batch = (b: Config['telemetry']['span_batch']) => ({
    maxQueueSize: b.max_queue_size,
    maxExportBatchSize: b.max_export_batch_size,
    scheduleDelayMs: b.schedule_delay_ms,
    exportTimeoutMs: b.export_timeout_ms,
  });
  return {
    enabled: t.enabled,
    serviceName: t.service_name,
    serviceVersion: version,
    serviceNamespace: t.service_namespace,
    environment: t.environment,
    shardIds: config.discord.shards === 'auto' ? undefined : config.discord.shards,
    resourceAttributes: t.resource_attributes,
    metricsEndpoint: t.metrics_endpoint,
    logsEndpoint: t.logs_endpoint,
    tracesEndpoint: t.traces_endpoint,
    headers: t.headers ? parseKeyValueList(t.headers.reveal()) : {},
    metricExportIntervalMs: t.metric_export_interval_ms,
    metricExportTimeoutMs: t.metric_export_timeout_ms,
    spanBatch: batch(t.span_batch),
    logBatch: batch(t.log_batch),
    hostMetrics: t.host_metrics,
    runtimeMetrics: t.runtime_metrics,
    failureLogIntervalMs: t.failure_log_interval_ms,
  };
}

/** A redactor that knows every secret in the configuration. */
export function redactorFor(config: Config): Redactor {
  const secrets = [config.discord.token, config.database.url, config.telemetry.headers, config.lavalink.password].map(
    (s) => s?.reveal(),
  );
  // Passwords inside a connection string can appear on their own in driver errors.
  const dbUrl = config.database.url?.reveal();
  if (dbUrl) {
    try {
      secrets.push(decodeURIComponent(new URL(dbUrl).password));
    } catch {
      // Not a parseable URL: the whole value is already redacted.
    }
  }
  return new Redactor(secrets);
}

/**
 * The checks `loadConfig` makes for the app beyond its schema, so that their errors name the file or variable that set
 * the value, as the schema's do: the `/play` allow-list, whose parser belongs to the music layer.
 */
export const configChecks: readonly ConfigCheck[] = [
  {
    key: 'music.query_allowlist',
    check: (config) => {
      try {
        HostAllowList.parse(config.music.query_allowlist);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : 'is not a list of hosts, addresses or CIDRs';
      }
    },
  },
];
