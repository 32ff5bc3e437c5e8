import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventLoopMonitor } from '../../src/health/EventLoopMonitor.js';
import { blockEventLoop, type RunningHealthServer, startHealthServer } from './startHealthServer.js';

describe('EventLoopMonitor', () => {
  describe('behind livez', () => {
    const monitor = new EventLoopMonitor({ resolutionMs: 10, windowMs: 60_000 });
    let running: RunningHealthServer;
    before(async () => {
      monitor.start();
      running = await startHealthServer({ liveness: [monitor.asCheck(100)] });
    });
    after(async () => {
      monitor.stop();
      await running.server.close();
    });

    it('passes while the loop is responsive', async () => {
      await sleep(50);
      const response = await fetch(`${running.baseUrl}/livez?verbose`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^\[\+\]eventloop ok$/m);
    });

    it('fails livez after the loop was blocked for 300 ms against a 100 ms limit', async () => {
      blockEventLoop(300);
      // Let the delay sampler run once the loop is free again.
      await sleep(30);
      assert.ok(monitor.maxDelayMs >= 250, `max delay ${monitor.maxDelayMs}ms`);
      const response = await fetch(`${running.baseUrl}/livez/eventloop`);
      assert.equal(response.status, 503);
      assert.match(await response.text(), /^\[-\]eventloop failed: event loop stalled \d+ms \(limit 100ms\)$/m);
    });
  });

  describe('window', () => {
    afterEach(() => mock.timers.reset());

    it('remembers a stall for at least one full window, then forgets it', async () => {
      mock.timers.enable({ apis: ['setInterval'] });
      using monitor = new EventLoopMonitor({ resolutionMs: 10, windowMs: 1_000 });
      monitor.start();
      // The sampler's first tick only sets its baseline; a stall before it would go unmeasured.
      await sleep(30);
      blockEventLoop(300);
      await sleep(30);
      const check = monitor.asCheck(100);
      assert.equal((await check.check(AbortSignal.abort())).ok, false);
      mock.timers.tick(1_000);
      assert.equal((await check.check(AbortSignal.abort())).ok, false, 'forgot the stall at the window boundary');
      mock.timers.tick(1_000);
      assert.ok(monitor.maxDelayMs < 100, `still remembers ${monitor.maxDelayMs}ms`);
      assert.equal((await check.check(AbortSignal.abort())).ok, true);
    });

    it('passes, saying so, when it is not running', async () => {
      const monitor = new EventLoopMonitor();
      assert.deepEqual(await monitor.asCheck(100).check(AbortSignal.abort()), { ok: true, detail: 'not monitored' });
      assert.equal(monitor.maxDelayMs, 0);
    });
  });
});
