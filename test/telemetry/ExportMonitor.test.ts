import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExportResultCode } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ExportMonitor } from '../../src/telemetry/ExportMonitor.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';

const telemetry = new InMemoryTelemetry();

describe('ExportMonitor', () => {
  it('counts what failed exports drop, per signal', async () => {
    const monitor = new ExportMonitor(globalInstruments, 60_000, () => 0);
    monitor.record('traces', 5, { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED') });
    monitor.record('logs', 2, { code: ExportResultCode.FAILED, error: new Error('UNAVAILABLE') });
    monitor.record('traces', 7, { code: ExportResultCode.SUCCESS });
    assert.equal(await telemetry.total('metronome.telemetry.dropped', { signal: 'traces' }), 5);
    assert.equal(await telemetry.total('metronome.telemetry.dropped', { signal: 'logs' }), 2);
    const state = monitor.state();
    assert.equal(state.traces.ok, true);
    assert.equal(state.traces.dropped, 5);
    assert.equal(state.traces.exported, 7);
    assert.equal(state.logs.ok, false);
    assert.equal(state.logs.lastError, 'UNAVAILABLE');
  });

  it('warns at most once per interval per signal however many exports fail', () => {
    let now = 0;
    const warnings: string[] = [];
    const monitor = new ExportMonitor(globalInstruments, 60_000, () => now);
    monitor.onWarning((signal) => warnings.push(signal));
    for (let i = 0; i < 30; i++) {
      monitor.record('metrics', 1, { code: ExportResultCode.FAILED, error: new Error('down') });
      now += 1_000;
    }
    assert.deepEqual(warnings, ['metrics']);
    now += 31_000;
    monitor.record('metrics', 1, { code: ExportResultCode.FAILED, error: new Error('down') });
    monitor.record('traces', 1, { code: ExportResultCode.FAILED, error: new Error('down') });
    assert.deepEqual(warnings, ['metrics', 'metrics', 'traces']);
  });

  it('counts the spans and log records a batch processor throws away when its queue is full', async () => {
    const monitor = new ExportMonitor(globalInstruments, 60_000, () => 0);
    const warnings: string[] = [];
    monitor.onWarning((signal, message) => warnings.push(`${signal}: ${message}`));
    const before = {
      traces: await telemetry.total('metronome.telemetry.dropped', { signal: 'traces' }),
      logs: await telemetry.total('metronome.telemetry.dropped', { signal: 'logs' }),
    };
    // An exporter that never answers, as a collector that accepts the connection and then hangs.
    const hung = { export: () => undefined, shutdown: () => Promise.resolve(), forceFlush: () => Promise.resolve() };
    // A short export timeout: the processors give up on the hung exports soon, and the test process can end.
    const limits = { maxQueueSize: 4, maxExportBatchSize: 2, scheduledDelayMillis: 60_000, exportTimeoutMillis: 50 };
    const tracer = new TracerProvider({
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: hung,
          ...limits,
          selfObsMeterProvider: monitor.processorMeterProvider('traces'),
        }),
      ],
    }).getTracer('test');
    const logger = new LoggerProvider({
      processors: [
        new BatchLogRecordProcessor({
          exporter: hung,
          ...limits,
          selfObsMeterProvider: monitor.processorMeterProvider('logs'),
        }),
      ],
    }).getLogger('test');
    for (let i = 0; i < 10; i++) tracer.startSpan(`span ${i}`).end();
    for (let i = 0; i < 7; i++) logger.emit({ body: `line ${i}` });
    // Each queue holds 4 (two batches of 2 went to the hung exporter and left the queue: one in flight, the rest
    // waiting); the others were thrown away and are counted.
    const state = monitor.state();
    const dropped = {
      traces: (await telemetry.total('metronome.telemetry.dropped', { signal: 'traces' })) - before.traces,
      logs: (await telemetry.total('metronome.telemetry.dropped', { signal: 'logs' })) - before.logs,
    };
    assert.ok(dropped.traces >= 4 && dropped.traces <= 6, `traces dropped: ${dropped.traces}`);
    assert.ok(dropped.logs >= 1 && dropped.logs <= 3, `logs dropped: ${dropped.logs}`);
    assert.equal(state.traces.dropped, dropped.traces);
    assert.equal(state.logs.dropped, dropped.logs);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /queue is full/);
  });
});
