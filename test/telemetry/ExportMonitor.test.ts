import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExportResultCode } from '@opentelemetry/core';
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
});
