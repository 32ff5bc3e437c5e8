import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { heartbeatCheck } from '../../src/health/HeartbeatWatch.js';

const signal = new AbortController().signal;

describe('heartbeatCheck', () => {
  afterEach(() => mock.timers.reset());

  it('passes while the last beat is within the limit and fails once it is older', async () => {
    mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    let last = Date.now();
    const check = heartbeatCheck('scheduler', { lastBeat: () => last }, 30_000);
    assert.equal(check.name, 'scheduler');
    mock.timers.tick(29_000);
    assert.deepEqual(await check.check(signal), { ok: true, detail: 'last heartbeat 29s ago' });
    mock.timers.tick(13_000);
    assert.deepEqual(await check.check(signal), { ok: false, reason: 'last heartbeat 42s ago (limit 30s)' });
    last = Date.now();
    assert.equal((await check.check(signal)).ok, true);
  });

  it('gives a source that has never beaten a start-up grace of the limit', async () => {
    let now = 5_000;
    const check = heartbeatCheck('jobs', { lastBeat: () => 0 }, 30_000, () => now);
    now += 30_000;
    assert.deepEqual(await check.check(signal), { ok: true, detail: 'waiting for first heartbeat' });
    now += 1_000;
    assert.deepEqual(await check.check(signal), {
      ok: false,
      reason: 'no heartbeat since start 31s ago (limit 30s)',
    });
  });

  it('treats a beat stamped in the future as fresh', async () => {
    const check = heartbeatCheck('jobs', { lastBeat: () => 10_000 }, 1_000, () => 9_000);
    assert.equal((await check.check(signal)).ok, true);
  });
});
