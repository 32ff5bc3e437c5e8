import assert from 'node:assert/strict';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReceivedSummary } from './summarizeReceived.js';

const CLI = fileURLToPath(new URL('./receiverCli.js', import.meta.url));

interface Listening {
  listening: { grpc: string; http: string; traces: string };
}

type Cli = ChildProcessByStdio<null, Readable, Readable>;

async function startCli(...args: string[]): Promise<{ cli: Cli; endpoints: Listening['listening'] }> {
  const cli = spawn(process.execPath, [CLI, '--grpc', '0', '--http', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [line] = (await once(createInterface({ input: cli.stderr }), 'line')) as [string];
  return { cli, endpoints: (JSON.parse(line) as Listening).listening };
}

async function summaryOf(cli: Cli): Promise<ReceivedSummary & { stoppedBy: string }> {
  let stdout = '';
  cli.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [code] = (await once(cli, 'exit')) as [number | null];
  assert.equal(code, 0);
  return JSON.parse(stdout) as ReceivedSummary & { stoppedBy: string };
}

describe('receiverCli', () => {
  it('prints a JSON summary with per-transport counts and log-to-trace correlation on SIGTERM', async () => {
    const { cli, endpoints } = await startCli();
    const resource = resourceFromAttributes({ 'service.name': 'metronome' });
    const tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: endpoints.traces }) })],
    });
    const loggerProvider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: endpoints.grpc }) })],
    });
    const meterProvider = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: endpoints.grpc }) })],
    });
    const span = tracerProvider.getTracer('metronome').startSpan('command play');
    const logger = loggerProvider.getLogger('metronome');
    logger.emit({ body: 'inside', context: trace.setSpan(context.active(), span) });
    logger.emit({ body: 'outside' });
    span.end();
    meterProvider.getMeter('metronome').createCounter('metronome.track.events').add(1);
    await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);

    cli.kill('SIGTERM');
    const summary = await summaryOf(cli);

    assert.equal(summary.stoppedBy, 'SIGTERM');
    assert.deepEqual(summary.spans.byTransport, { grpc: 0, http: 1 });
    assert.deepEqual(summary.spans.names, ['command play']);
    assert.deepEqual(summary.metricPoints.byTransport, { grpc: 1, http: 0 });
    assert.deepEqual(summary.metricPoints.names, ['metronome.track.events']);
    assert.deepEqual(summary.logRecords, {
      total: 2,
      byTransport: { grpc: 2, http: 0 },
      withTraceId: 1,
      sharingTraceWithSpan: 1,
      sharingSpanWithSpan: 1,
    });
    assert.deepEqual(summary.resources.serviceNames, ['metronome']);
    assert.equal(summary.requests.failed, 0);
  });

  it('stops by itself after --seconds', async () => {
    const { cli } = await startCli('--seconds', '0.2');

    const summary = await summaryOf(cli);

    assert.equal(summary.stoppedBy, 'timer');
    assert.equal(summary.requests.total, 0);
  });
});
