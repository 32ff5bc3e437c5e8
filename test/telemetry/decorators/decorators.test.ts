import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { job } from '../../../src/telemetry/decorators/job.js';
import { retryable } from '../../../src/telemetry/decorators/retryable.js';
import { traced } from '../../../src/telemetry/decorators/traced.js';
import { globalInstruments } from '../../../src/telemetry/Instruments.js';
import { JobHeartbeats } from '../../../src/telemetry/JobHeartbeats.js';
import { InMemoryTelemetry } from '../../support/InMemoryTelemetry.js';

const telemetry = new InMemoryTelemetry();

class TransientError extends Error {
  override readonly name = 'TransientError';
}
class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

class Service {
  calls = 0;
  constructor(private readonly failures: number) {}

  @traced()
  add(a: number, b: number): number {
    return a + b;
  }

  @traced('service explode', { 'test.kind': 'sync' })
  explode(): never {
    throw new PermanentError('boom');
  }

  @traced('service fetch')
  async fetchLater(): Promise<string> {
    await new Promise((r) => setTimeout(r, 1));
    return 'value';
  }

  @traced('service flaky')
  @retryable({
    operation: 'flaky',
    maxRetries: 3,
    initialDelayMs: 1,
    maxDelayMs: 2,
    retryOn: (e) => e instanceof TransientError,
  })
  async flaky(): Promise<string> {
    this.calls++;
    if (this.calls <= this.failures) throw new TransientError(`attempt ${this.calls} failed`);
    return 'done';
  }

  @traced('service permanent')
  @retryable({ operation: 'permanent', maxRetries: 3, initialDelayMs: 1, retryOn: (e) => e instanceof TransientError })
  async permanent(): Promise<string> {
    this.calls++;
    throw new PermanentError('constraint violated');
  }
}

class Jobs {
  constructor(readonly heartbeats: JobHeartbeats) {}

  @job('cleanup')
  async cleanup(fail: boolean): Promise<void> {
    if (fail) throw new Error('cleanup failed');
  }
}

describe('@traced', () => {
  it('wraps a sync method in a span named after the class and method, returning its value', () => {
    telemetry.reset();
    assert.equal(new Service(0).add(2, 3), 5);
    const [span] = telemetry.spans('Service.add');
    assert.ok(span, 'span Service.add exported');
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  it('records the exception, sets status ERROR and rethrows the same error', () => {
    telemetry.reset();
    assert.throws(() => new Service(0).explode(), PermanentError);
    const [span] = telemetry.spans('service explode');
    assert.ok(span);
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['test.kind'], 'sync');
    assert.equal(span.attributes['error.type'], 'PermanentError');
    assert.equal(span.events[0]?.name, 'exception');
  });

  it('keeps the span open until an async method settles', async () => {
    telemetry.reset();
    assert.equal(await new Service(0).fetchLater(), 'value');
    const [span] = telemetry.spans('service fetch');
    assert.ok(span);
    const durationMs = span.duration[0] * 1000 + span.duration[1] / 1e6;
    assert.ok(durationMs >= 0.5, `span lasted ${durationMs} ms`);
  });
});

describe('@retryable', () => {
  it('retries transient failures, adds a retry event per failed attempt and counts the recovery', async () => {
    telemetry.reset();
    const before = await telemetry.total('metronome.retry.attempts', { operation: 'flaky', outcome: 'retried' });
    const service = new Service(2);
    assert.equal(await service.flaky(), 'done');
    assert.equal(service.calls, 3);
    const [span] = telemetry.spans('service flaky');
    assert.ok(span);
    assert.equal(span.attributes['retry.count'], 2);
    const retries = span.events.filter((e) => e.name === 'retry');
    assert.deepEqual(
      retries.map((e) => e.attributes?.['retry.attempt']),
      [1, 2],
    );
    for (const event of retries) {
      assert.equal(event.attributes?.['error.type'], 'TransientError');
      assert.equal(typeof event.attributes?.['retry.delay_ms'], 'number');
    }
    const after = await telemetry.total('metronome.retry.attempts', { operation: 'flaky', outcome: 'retried' });
    assert.equal(after - before, 2);
    assert.equal(await telemetry.total('metronome.retry.attempts', { operation: 'flaky', outcome: 'recovered' }), 1);
  });

  it('gives up after maxRetries and counts the call as exhausted', async () => {
    telemetry.reset();
    const service = new Service(10);
    await assert.rejects(service.flaky(), TransientError);
    assert.equal(service.calls, 4);
    const [span] = telemetry.spans('service flaky');
    assert.equal(span?.attributes['retry.count'], 3);
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
    assert.ok((await telemetry.total('metronome.retry.attempts', { operation: 'flaky', outcome: 'exhausted' })) >= 1);
  });

  it('never retries an error the policy calls permanent', async () => {
    telemetry.reset();
    const service = new Service(0);
    await assert.rejects(service.permanent(), PermanentError);
    assert.equal(service.calls, 1);
    assert.equal(telemetry.spans('service permanent')[0]?.attributes['retry.count'], 0);
    assert.equal(await telemetry.total('metronome.retry.attempts', { operation: 'permanent' }), 0);
  });
});

describe('@job', () => {
  it('runs the job in a `job <name>` span, records its duration and outcome, and beats the heartbeat on success', async () => {
    telemetry.reset();
    const heartbeats = new JobHeartbeats(globalInstruments());
    const jobs = new Jobs(heartbeats);
    assert.equal(heartbeats.source('cleanup').lastBeat(), 0);
    await jobs.cleanup(false);
    assert.ok(heartbeats.source('cleanup').lastBeat() > 0);
    const [span] = telemetry.spans('job cleanup');
    assert.equal(span?.attributes['metronome.job.name'], 'cleanup');
    assert.equal(await telemetry.total('metronome.job.duration', { job: 'cleanup', outcome: 'success' }), 1);
    const active = await telemetry.points('metronome.job.active');
    assert.equal(active.find((p) => p.attributes.job === 'cleanup')?.value, 0);
    const age = await telemetry.points('metronome.job.last_success.age');
    const cleanupAge = age.find((p) => p.attributes.job === 'cleanup');
    assert.ok(cleanupAge && typeof cleanupAge.value === 'number' && cleanupAge.value >= 0 && cleanupAge.value < 5);
    assert.equal(cleanupAge.unit, 's');
  });

  it('records a failed run as an error without beating the heartbeat', async () => {
    telemetry.reset();
    const heartbeats = new JobHeartbeats(globalInstruments());
    await assert.rejects(new Jobs(heartbeats).cleanup(true));
    assert.equal(heartbeats.source('cleanup').lastBeat(), 0);
    assert.equal(telemetry.spans('job cleanup')[0]?.status.code, SpanStatusCode.ERROR);
    assert.ok((await telemetry.total('metronome.job.duration', { job: 'cleanup', outcome: 'error' })) >= 1);
  });
});
