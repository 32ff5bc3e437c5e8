import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/loadConfig.js';
import { configErrorOf } from './TempFolder.js';

const load = (env: NodeJS.ProcessEnv) => loadConfig({ env, localPath: null });

describe('standard OpenTelemetry variables', () => {
  describe('endpoints', () => {
    it('uses the per-signal endpoint variables as they are', () => {
      const { telemetry } = load({
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:4317',
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:4317',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces:4318/custom/path',
      });
      assert.equal(telemetry.metrics_endpoint, 'http://metrics:4317');
      assert.equal(telemetry.logs_endpoint, 'http://logs:4317');
      assert.equal(telemetry.traces_endpoint, 'https://traces:4318/custom/path');
    });

    it('uses OTEL_EXPORTER_OTLP_ENDPOINT as-is for gRPC signals and appends /v1/traces for traces', () => {
      const { telemetry } = load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' });
      assert.equal(telemetry.metrics_endpoint, 'http://collector:4317');
      assert.equal(telemetry.logs_endpoint, 'http://collector:4317');
      assert.equal(telemetry.traces_endpoint, 'http://collector:4317/v1/traces');
    });

    it('does not double the slash when the base endpoint ends with one', () => {
      const { telemetry } = load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' });
      assert.equal(telemetry.traces_endpoint, 'http://collector:4318/otlp/v1/traces');
    });

    it('lets a per-signal variable win over the base endpoint', () => {
      const { telemetry } = load({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces',
      });
      assert.equal(telemetry.metrics_endpoint, 'http://collector:4317');
      assert.equal(telemetry.traces_endpoint, 'http://tempo:4318/v1/traces');
    });

    it('rejects an endpoint that is not an http(s) URL, naming the variable', () => {
      const error = configErrorOf(() => load({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'collector:4317' }));
      assert.equal(error.key, 'telemetry.logs_endpoint');
      assert.equal(error.source, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
      assert.match(error.message, /expected an http:\/\/ or https:\/\/ URL/);
    });
  });

  describe('OTEL_SDK_DISABLED', () => {
    it('turns telemetry off when true, in any case', () => {
      assert.equal(load({ OTEL_SDK_DISABLED: 'TRUE' }).telemetry.enabled, false);
    });

    it('leaves telemetry as configured otherwise', () => {
      assert.equal(load({ OTEL_SDK_DISABLED: 'false' }).telemetry.enabled, true);
    });
  });

  describe('resource attributes', () => {
    it('percent-decodes OTEL_RESOURCE_ATTRIBUTES', () => {
      const { telemetry } = load({ OTEL_RESOURCE_ATTRIBUTES: 'k8s.pod.name=bot-0, team=audio%20and%20video' });
      assert.deepEqual(telemetry.resource_attributes, { 'k8s.pod.name': 'bot-0', team: 'audio and video' });
    });

    it('moves attributes that have their own key to that key', () => {
      const { telemetry } = load({
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=a,service.namespace=b,deployment.environment.name=prod,x=1',
      });
      assert.equal(telemetry.service_name, 'a');
      assert.equal(telemetry.service_namespace, 'b');
      assert.equal(telemetry.environment, 'prod');
      assert.deepEqual(telemetry.resource_attributes, { x: '1' });
    });

    it('gives OTEL_SERVICE_NAME precedence over service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
      const env = { OTEL_RESOURCE_ATTRIBUTES: 'service.name=a', OTEL_SERVICE_NAME: 'b' };
      assert.equal(load(env).telemetry.service_name, 'b');
    });

    it('rejects a malformed list, naming the variable', () => {
      const error = configErrorOf(() => load({ OTEL_RESOURCE_ATTRIBUTES: 'novalue' }));
      assert.equal(error.key, 'telemetry.resource_attributes');
      assert.equal(error.source, 'OTEL_RESOURCE_ATTRIBUTES');
    });
  });

  describe('batching and export intervals', () => {
    it('reads the OTEL_BSP_*, OTEL_BLRP_* and OTEL_METRIC_EXPORT_* variables', () => {
      const { telemetry } = load({
        OTEL_METRIC_EXPORT_INTERVAL: '60000',
        OTEL_METRIC_EXPORT_TIMEOUT: '30000',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BSP_EXPORT_TIMEOUT: '300',
        OTEL_BLRP_MAX_QUEUE_SIZE: '400',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '40',
        OTEL_BLRP_SCHEDULE_DELAY: '500',
        OTEL_BLRP_EXPORT_TIMEOUT: '600',
      });
      assert.equal(telemetry.metric_export_interval_ms, 60000);
      assert.equal(telemetry.metric_export_timeout_ms, 30000);
      assert.deepEqual(telemetry.span_batch, {
        max_queue_size: 100,
        max_export_batch_size: 10,
        schedule_delay_ms: 200,
        export_timeout_ms: 300,
      });
      assert.deepEqual(telemetry.log_batch, {
        max_queue_size: 400,
        max_export_batch_size: 40,
        schedule_delay_ms: 500,
        export_timeout_ms: 600,
      });
    });

    it('rejects a value that is not a whole number, naming the variable', () => {
      const error = configErrorOf(() => load({ OTEL_BSP_SCHEDULE_DELAY: '1.5' }));
      assert.equal(
        error.message,
        'Invalid configuration: telemetry.span_batch.schedule_delay_ms = 1.5 (from OTEL_BSP_SCHEDULE_DELAY): ' +
          'expected a whole number',
      );
    });
  });

  it('reads OTEL_EXPORTER_OTLP_HEADERS as a secret', () => {
    const { telemetry } = load({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc123' });
    assert.equal(telemetry.headers?.reveal(), 'api-key=abc123');
    assert.equal(String(telemetry.headers), '[redacted]');
  });
});
