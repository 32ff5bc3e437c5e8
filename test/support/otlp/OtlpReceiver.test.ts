import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { credentials, makeGenericClientConstructor, type ServiceError, status } from '@grpc/grpc-js';
import { context, SeverityNumber, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  JsonLogsSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OtlpReceiver } from './OtlpReceiver.js';

type LogExporterConfig = NonNullable<ConstructorParameters<typeof OTLPLogExporter>[0]>;
type TraceExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;
// The exporters type `compression` as an enum from a package Metronome does not depend on directly.
const GZIP_LOGS = 'gzip' as LogExporterConfig['compression'];
const GZIP_TRACES = 'gzip' as TraceExporterConfig['compression'];

const SECOND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const resource = resourceFromAttributes({
  'service.name': 'metronome',
  'service.version': '0.1.0',
  'deployment.environment.name': 'test',
});

/** A reader that only collects when asked, so a test can hand the result to an exporter itself. */
class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve(); // nothing buffered, nothing to release
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve(); // nothing buffered
  }
}

function exportWith<T>(exporter: { export(items: T, done: (r: { code: ExportResultCode }) => void): void }, items: T) {
  return new Promise<ExportResultCode>((resolve) => exporter.export(items, (result) => resolve(result.code)));
}

/** Sends raw bytes to a gRPC Export method, the way the OTLP gRPC exporters do. */
function grpcExport(endpoint: string, path: string, body: Uint8Array): Promise<ServiceError | null> {
  const identity = (bytes: Buffer) => bytes;
  const Client = makeGenericClientConstructor(
    {
      Export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    'OtlpTestClient',
  );
  const client = new Client(endpoint.replace('http://', ''), credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, identity, identity, Buffer.from(body), (error: ServiceError | null) => {
      client.close();
      resolve(error);
    });
  });
}

async function postOtlp(url: string, body: Uint8Array | string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers });
}

describe('OtlpReceiver', () => {
  let receiver: OtlpReceiver;

  before(async () => {
    receiver = await OtlpReceiver.start({ grpcPort: 0, httpPort: 0 });
  });
  after(() => receiver.close());
  beforeEach(() => {
    receiver.clear();
    receiver.failWith('all', null);
  });

  it('listens on free ports and exposes the endpoints exporters need', () => {
    assert.match(receiver.grpcEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(receiver.httpEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(receiver.tracesUrl, `${receiver.httpEndpoint}/v1/traces`);
    assert.notEqual(receiver.grpcPort, 0);
    assert.notEqual(receiver.httpPort, 0);
  });

  it('decodes counters, histograms and gauges sent by the real gRPC metric exporter', async () => {
    const exporter = new OTLPMetricExporter({ url: receiver.grpcEndpoint });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('metronome-test', '1.2.3');
    meter.createCounter('metronome.track.events', { unit: '{event}' }).add(2, { event: 'start', reason: 'none' });
    const duration = meter.createHistogram('metronome.command.duration', {
      unit: 's',
      description: 'Command latency',
      advice: { explicitBucketBoundaries: SECOND_BUCKETS },
    });
    for (const seconds of [0.03, 0.2, 3]) duration.record(seconds, { command: 'play', outcome: 'success' });
    meter.createObservableGauge('metronome.voice.connections').addCallback((result) => result.observe(4));
    meter.createUpDownCounter('metronome.job.active').add(-1, { job: 'heartbeat' });

    await provider.forceFlush();
    await provider.shutdown();

    const points = await receiver.waitFor(() => (receiver.metrics().length >= 4 ? receiver.metrics() : undefined));
    const byName = new Map(points.map((point) => [point.name, point]));

    const counter = byName.get('metronome.track.events');
    assert.ok(counter);
    assert.equal(counter.kind, 'sum');
    assert.equal(counter.monotonic, true);
    assert.equal(counter.temporality, 'cumulative');
    assert.equal(counter.value, 2);
    assert.equal(counter.unit, '{event}');
    assert.deepEqual(counter.attributes, { event: 'start', reason: 'none' });
    assert.equal(counter.transport, 'grpc');
    assert.equal(counter.resource['service.name'], 'metronome');
    assert.equal(counter.resource['deployment.environment.name'], 'test');
    assert.deepEqual(counter.scope, { name: 'metronome-test', version: '1.2.3', attributes: {} });

    const histogram = byName.get('metronome.command.duration');
    assert.ok(histogram);
    assert.equal(histogram.kind, 'histogram');
    assert.equal(histogram.description, 'Command latency');
    assert.equal(histogram.count, 3);
    assert.ok(Math.abs((histogram.sum ?? 0) - 3.23) < 1e-9);
    assert.equal(histogram.min, 0.03);
    assert.equal(histogram.max, 3);
    assert.deepEqual(histogram.explicitBounds, SECOND_BUCKETS);
    assert.deepEqual(histogram.bucketCounts, [0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0]);
    assert.deepEqual(histogram.attributes, { command: 'play', outcome: 'success' });
    assert.ok(histogram.timeUnixNano > histogram.startTimeUnixNano);

    assert.equal(byName.get('metronome.voice.connections')?.kind, 'gauge');
    assert.equal(byName.get('metronome.voice.connections')?.value, 4);
    assert.equal(byName.get('metronome.job.active')?.monotonic, false);
    assert.equal(byName.get('metronome.job.active')?.value, -1);

    assert.ok(
      receiver.requests.every((r) => r.signal === 'metrics' && r.transport === 'grpc' && r.outcome === 'accepted'),
    );
  });

  it('correlates gRPC log records with the HTTP span they were emitted in', async () => {
    const tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: receiver.tracesUrl }) })],
    });
    const loggerProvider = new LoggerProvider({
      resource,
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: receiver.grpcEndpoint, compression: GZIP_LOGS }),
        }),
      ],
    });
    const span = tracerProvider.getTracer('metronome').startSpan('command play', { kind: SpanKind.SERVER });
    loggerProvider.getLogger('metronome', '0.1.0').emit({
      context: trace.setSpan(context.active(), span),
      severityNumber: SeverityNumber.WARN,
      severityText: 'warn',
      body: { msg: 'queue almost full', sizes: [3, 4.5], nested: { ok: true } },
      attributes: { 'discord.guild.id': '123', 'retry.count': 2, ratio: 0.5, cached: false, tags: ['a', 'b'] },
    });
    span.end();
    await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]);
    await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);

    const [received] = await receiver.waitFor(() => (receiver.spans().length ? receiver.spans() : undefined));
    const [log] = await receiver.waitFor(() => (receiver.logs().length ? receiver.logs() : undefined));
    assert.ok(received && log);
    assert.equal(log.traceId, received.traceId);
    assert.equal(log.spanId, received.spanId);
    assert.equal(log.traceId, span.spanContext().traceId);
    assert.match(log.traceId, /^[0-9a-f]{32}$/);
    assert.equal(log.transport, 'grpc');
    assert.equal(received.transport, 'http');
    assert.equal(log.severityNumber, SeverityNumber.WARN);
    assert.equal(log.severityText, 'warn');
    assert.deepEqual(log.body, { msg: 'queue almost full', sizes: [3, 4.5], nested: { ok: true } });
    assert.deepEqual(log.attributes, {
      'discord.guild.id': '123',
      'retry.count': 2,
      ratio: 0.5,
      cached: false,
      tags: ['a', 'b'],
    });
    assert.deepEqual(log.scope, { name: 'metronome', version: '0.1.0', attributes: {} });
    assert.equal(log.resource['service.name'], 'metronome');
  });

  it('decodes span trees, kinds, status, events and links from the gzipped OTLP/HTTP JSON trace exporter', async () => {
    const exporter = new OTLPTraceExporter({ url: receiver.tracesUrl, compression: GZIP_TRACES });
    const tracerProvider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const tracer = tracerProvider.getTracer('metronome', '0.1.0');
    const command = tracer.startSpan('command play', {
      kind: SpanKind.SERVER,
      attributes: { 'metronome.outcome': 'x' },
    });
    const child = tracer.startSpan(
      'track play',
      { kind: SpanKind.CLIENT, links: [{ context: command.spanContext(), attributes: { 'link.kind': 'queued-by' } }] },
      trace.setSpan(context.active(), command),
    );
    child.addEvent('retry', { 'retry.attempt': 1 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'node down' });
    child.end();
    command.end();
    await tracerProvider.shutdown();

    const spans = await receiver.waitFor(() => (receiver.spans().length >= 2 ? receiver.spans() : undefined));
    const parent = spans.find((s) => s.name === 'command play');
    const track = spans.find((s) => s.name === 'track play');
    assert.ok(parent && track);
    assert.equal(parent.parentSpanId, '');
    assert.equal(parent.kind, 'server');
    assert.equal(parent.status.code, 'unset');
    assert.deepEqual(parent.attributes, { 'metronome.outcome': 'x' });
    assert.equal(track.traceId, parent.traceId);
    assert.equal(track.parentSpanId, parent.spanId);
    assert.equal(track.kind, 'client');
    assert.deepEqual(track.status, { code: 'error', message: 'node down' });
    assert.equal(track.events.length, 1);
    assert.equal(track.events[0]?.name, 'retry');
    assert.deepEqual(track.events[0]?.attributes, { 'retry.attempt': 1 });
    assert.equal(typeof track.events[0]?.timeUnixNano, 'bigint');
    assert.deepEqual(track.links, [
      { traceId: parent.traceId, spanId: parent.spanId, attributes: { 'link.kind': 'queued-by' } },
    ]);
    assert.equal(typeof track.startTimeUnixNano, 'bigint');
    assert.ok(track.endTimeUnixNano >= track.startTimeUnixNano);
    assert.ok(receiver.requests.length > 0);
    for (const request of receiver.requests) {
      assert.deepEqual([request.transport, request.encoding, request.contentEncoding], ['http', 'json', 'gzip']);
    }
  });

  it('decodes gzip-compressed protobuf spans posted to /v1/traces', async () => {
    const memory = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const span = tracerProvider.getTracer('metronome').startSpan('job heartbeat', { attributes: { job: 'heartbeat' } });
    span.end();
    const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
    assert.ok(body);

    const response = await postOtlp(receiver.tracesUrl, gzipSync(body), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-protobuf');
    const [received] = receiver.spans();
    assert.equal(received?.name, 'job heartbeat');
    assert.equal(received?.spanId, span.spanContext().spanId);
    assert.deepEqual(received?.attributes, { job: 'heartbeat' });
    assert.equal(receiver.requests[0]?.encoding, 'protobuf');
    assert.equal(receiver.requests[0]?.contentEncoding, 'gzip');
    await tracerProvider.shutdown();
  });

  it('accepts spans over gRPC too, and answers INVALID_ARGUMENT to an undecodable message', async () => {
    const memory = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    tracerProvider.getTracer('metronome').startSpan('job users.active').end();
    const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
    assert.ok(body);
    const path = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

    assert.equal(await grpcExport(receiver.grpcEndpoint, path, body), null);
    const invalid = await grpcExport(receiver.grpcEndpoint, path, Buffer.from([0xff, 0xff, 0xff]));

    assert.equal(invalid?.code, status.INVALID_ARGUMENT);
    assert.equal(receiver.spans()[0]?.name, 'job users.active');
    assert.equal(receiver.spans()[0]?.transport, 'grpc');
    assert.deepEqual(
      receiver.requests.map((r) => [r.transport, r.outcome]),
      [
        ['grpc', 'accepted'],
        ['grpc', 'invalid'],
      ],
    );
    await tracerProvider.shutdown();
  });

  it('accepts metrics and logs on the HTTP endpoints too, as protobuf or JSON', async () => {
    const reader = new ManualReader();
    const meterProvider = new MeterProvider({ resource, readers: [reader] });
    meterProvider.getMeter('m').createCounter('metronome.retry.attempts').add(5, { outcome: 'retried' });
    const { resourceMetrics } = await reader.collect();
    const logsMemory = new InMemoryLogRecordExporter();
    const loggerProvider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: logsMemory })],
    });
    loggerProvider.getLogger('l').emit({ body: 'hello', severityNumber: SeverityNumber.INFO });
    const records = logsMemory.getFinishedLogRecords();

    const protobufMetrics = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
    const protobufLogs = ProtobufLogsSerializer.serializeRequest(records);
    const jsonLogs = JsonLogsSerializer.serializeRequest(records);
    assert.ok(protobufMetrics && protobufLogs && jsonLogs);
    const protobuf = { 'content-type': 'application/x-protobuf' };
    assert.equal((await postOtlp(receiver.metricsUrl, protobufMetrics, protobuf)).status, 200);
    assert.equal((await postOtlp(receiver.logsUrl, protobufLogs, protobuf)).status, 200);
    const jsonResponse = await postOtlp(receiver.logsUrl, jsonLogs, { 'content-type': 'application/json' });
    assert.equal(jsonResponse.status, 200);
    assert.deepEqual(await jsonResponse.json(), {});

    assert.equal(receiver.metrics()[0]?.value, 5);
    assert.equal(receiver.metrics()[0]?.transport, 'http');
    assert.deepEqual(
      receiver.logs().map((log) => [log.body, log.severityNumber]),
      [
        ['hello', SeverityNumber.INFO],
        ['hello', SeverityNumber.INFO],
      ],
    );
    await Promise.all([meterProvider.shutdown(), loggerProvider.shutdown()]);
  });

  it('decodes hand-written OTLP/JSON: big integers, bytes, nested values, enum names and snake_case keys', async () => {
    const body = JSON.stringify({
      resource_logs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'metronome' } }] },
          scope_logs: [
            {
              scope: { name: 'hand', version: '1' },
              log_records: [
                {
                  time_unix_nano: '1700000000000000001',
                  severity_number: 'SEVERITY_NUMBER_ERROR',
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  body: {
                    kvlistValue: {
                      values: [
                        { key: 'big', value: { intValue: '9007199254740993' } },
                        { key: 'small', value: { intValue: '42' } },
                        { key: 'raw', value: { bytesValue: Buffer.from([1, 2, 255]).toString('base64') } },
                        { key: 'nan', value: { doubleValue: 'NaN' } },
                        { key: 'list', value: { arrayValue: { values: [{ boolValue: true }, {}] } } },
                      ],
                    },
                  },
                },
              ],
            },
          ],
        },
      ],
    });

    const response = await postOtlp(receiver.logsUrl, body, { 'content-type': 'application/json; charset=utf-8' });

    assert.equal(response.status, 200);
    const [log] = receiver.logs();
    assert.ok(log);
    assert.equal(log.timeUnixNano, 1700000000000000001n);
    assert.equal(log.severityNumber, SeverityNumber.ERROR);
    assert.equal(log.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(log.spanId, 'eee19b7ec3c1b174');
    assert.deepEqual(log.body, {
      big: 9007199254740993n,
      small: 42,
      raw: new Uint8Array([1, 2, 255]),
      nan: Number.NaN,
      list: [true, null],
    });
    assert.deepEqual(log.scope, { name: 'hand', version: '1', attributes: {} });
    assert.equal(log.resource['service.name'], 'metronome');
  });

  it('answers 400 to a body it cannot decode and records the request as invalid', async () => {
    const response = await postOtlp(receiver.tracesUrl, Buffer.from([0xff, 0xff, 0xff]), {
      'content-type': 'application/x-protobuf',
    });

    assert.equal(response.status, 400);
    assert.equal(receiver.spans().length, 0);
    assert.equal(receiver.requests[0]?.outcome, 'invalid');
    assert.match(receiver.requests[0]?.error ?? '', /cannot decode traces protobuf/);
    assert.equal((await postOtlp(receiver.tracesUrl, '{}', { 'content-type': 'text/plain' })).status, 415);
    assert.deepEqual([receiver.requests[1]?.outcome, receiver.requests[1]?.status], ['invalid', 415]);
    assert.equal((await fetch(`${receiver.httpEndpoint}/v1/profiles`, { method: 'POST' })).status, 404);
  });

  it('makes the gRPC metric and log exporters report FAILED while failWith is set, and succeed after', async () => {
    const reader = new ManualReader();
    const meterProvider = new MeterProvider({ resource, readers: [reader] });
    meterProvider.getMeter('m').createCounter('metronome.db.errors').add(1);
    const { resourceMetrics } = await reader.collect();
    const logsMemory = new InMemoryLogRecordExporter();
    const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logsMemory })] });
    loggerProvider.getLogger('l').emit({ body: 'x' });
    // A short timeout makes the exporters give up instead of backing off and retrying UNAVAILABLE for seconds.
    const metricExporter = new OTLPMetricExporter({ url: receiver.grpcEndpoint, timeoutMillis: 500 });
    const logExporter = new OTLPLogExporter({ url: receiver.grpcEndpoint, timeoutMillis: 500 });

    receiver.failWith('metrics', 14);
    receiver.failWith('logs', 503);
    assert.equal(await exportWith(metricExporter, resourceMetrics), ExportResultCode.FAILED);
    assert.equal(await exportWith(logExporter, logsMemory.getFinishedLogRecords()), ExportResultCode.FAILED);
    assert.equal(receiver.metrics().length, 0);
    assert.deepEqual(
      receiver.requests.map((r) => [r.signal, r.outcome, r.status]),
      [
        ['metrics', 'failed', 14],
        ['logs', 'failed', 14],
      ],
    );

    receiver.failWith('all', null);
    assert.equal(await exportWith(metricExporter, resourceMetrics), ExportResultCode.SUCCESS);
    assert.equal(await exportWith(logExporter, logsMemory.getFinishedLogRecords()), ExportResultCode.SUCCESS);
    assert.equal(receiver.metrics()[0]?.name, 'metronome.db.errors');
    assert.equal(receiver.logs()[0]?.body, 'x');
    await Promise.all([metricExporter.shutdown(), logExporter.shutdown(), meterProvider.shutdown()]);
  });

  it('fails the HTTP trace exporter with an HTTP status, and lets it retry through a one-off failure', async () => {
    const memory = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
    tracerProvider.getTracer('t').startSpan('command skip').end();
    const spans = memory.getFinishedSpans();
    const exporter = new OTLPTraceExporter({ url: receiver.tracesUrl, timeoutMillis: 5_000 });

    receiver.failWith('traces', 400);
    assert.equal(await exportWith(exporter, spans), ExportResultCode.FAILED);
    assert.equal(receiver.requests.at(-1)?.status, 400);

    receiver.failWith('traces', 14, { times: 1 });
    assert.equal(await exportWith(exporter, spans), ExportResultCode.SUCCESS);
    assert.deepEqual(
      receiver.requests.map((r) => [r.outcome, r.status]),
      [
        ['failed', 400],
        ['failed', 503],
        ['accepted', 200],
      ],
    );
    assert.equal(receiver.spans()[0]?.name, 'command skip');
    await Promise.all([exporter.shutdown(), tracerProvider.shutdown()]);
  });

  it('rejects failWith codes that are not failures', () => {
    assert.throws(() => receiver.failWith('traces', 0), RangeError);
    assert.throws(() => receiver.failWith('traces', 200), RangeError);
  });

  it('waitFor resolves with the predicate value and times out listing what was received', async () => {
    const memory = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
    tracerProvider.getTracer('t').startSpan('command queue').end();
    const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
    assert.ok(body);
    await postOtlp(receiver.tracesUrl, body, { 'content-type': 'application/x-protobuf' });

    const found = await receiver.waitFor(() => receiver.spans().find((s) => s.name === 'command queue'));
    assert.equal(found.name, 'command queue');
    await assert.rejects(
      receiver.waitFor(
        () => {
          assert.ok(
            receiver.spans().some((s) => s.name === 'command stop'),
            'no stop span',
          );
          return true;
        },
        { timeoutMs: 100, description: 'a "command stop" span' },
      ),
      (error: Error) => {
        assert.match(error.message, /timed out after 100ms waiting for a "command stop" span/);
        assert.match(error.message, /1 spans \["command queue"\]/);
        assert.match(error.message, /0 log records \[\]/);
        assert.match(error.message, /Last predicate error: .*no stop span/);
        return true;
      },
    );
    await tracerProvider.shutdown();
  });

  it('waitFor keeps polling in real time while the test fakes timers', async (t) => {
    const realSetTimeout = globalThis.setTimeout;
    let ready = false;
    realSetTimeout(() => {
      ready = true;
    }, 50);
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });

    assert.equal(await receiver.waitFor(() => ready, { timeoutMs: 2_000 }), true);
  });

  it('clear forgets received items and requests', async () => {
    await postOtlp(receiver.logsUrl, '{"resourceLogs":[]}', { 'content-type': 'application/json' });
    assert.equal(receiver.requests.length, 1);
    receiver.clear();
    assert.deepEqual([receiver.requests.length, receiver.spans().length, receiver.logs().length], [0, 0, 0]);
  });
});

describe('OtlpReceiver lifecycle', () => {
  it('closes through await using, and closing twice is harmless', async () => {
    let endpoint: string;
    {
      await using receiver = await OtlpReceiver.start();
      endpoint = receiver.httpEndpoint;
      assert.equal((await fetch(`${endpoint}/v1/traces`)).status, 405);
      await receiver.close();
    }
    await assert.rejects(fetch(`${endpoint}/v1/traces`));
  });

  it('fails to start when a port is taken', async () => {
    await using first = await OtlpReceiver.start();
    await assert.rejects(OtlpReceiver.start({ httpPort: first.httpPort }), /EADDRINUSE/);
  });
});
