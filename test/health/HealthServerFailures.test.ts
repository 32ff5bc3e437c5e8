import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckResult, HealthCheck } from '../../src/health/HealthCheck.js';
import { type RunningHealthServer, startHealthServer } from './startHealthServer.js';

const Secret = 'hunter2-token';

describe('HealthServer with misbehaving checks', () => {
  describe('a check that hangs', () => {
    let running: RunningHealthServer;
    const signals: AbortSignal[] = [];
    const hanging: HealthCheck = {
      name: 'database',
      check: (signal) => {
        signals.push(signal);
        return Promise.withResolvers<CheckResult>().promise;
      },
    };
    before(async () => {
      running = await startHealthServer({
        liveness: [{ name: 'eventloop', check: () => ({ ok: true }) }],
        readiness: [hanging],
        checkTimeoutMs: 300,
      });
    });
    after(() => running.server.close());

    it('fails with reason timed out soon after the timeout, and is aborted', async () => {
      const started = performance.now();
      const response = await fetch(`${running.baseUrl}/readyz/database`);
      const elapsed = performance.now() - started;
      assert.equal(response.status, 503);
      assert.equal(await response.text(), '[-]database failed: timed out\nreadyz check failed\n');
      assert.ok(elapsed >= 250 && elapsed < 1_500, `answered after ${elapsed}ms`);
      assert.equal(signals.at(-1)?.aborted, true);
    });

    it('does not hold up other endpoints while it hangs', async () => {
      const slow = fetch(`${running.baseUrl}/readyz`);
      const started = performance.now();
      const live = await fetch(`${running.baseUrl}/livez`);
      assert.equal(live.status, 200);
      assert.ok(performance.now() - started < 200, 'livez waited for the hanging readiness check');
      assert.equal((await slow).status, 503);
    });

    it('runs the check once for concurrent probes', async () => {
      signals.length = 0;
      const responses = await Promise.all([1, 2, 3].map(() => fetch(`${running.baseUrl}/readyz`)));
      assert.deepEqual(
        responses.map((response) => response.status),
        [503, 503, 503],
      );
      assert.equal(signals.length, 1);
    });
  });

  describe('a check that throws', () => {
    let running: RunningHealthServer;
    before(async () => {
      running = await startHealthServer({
        readiness: [
          {
            name: 'database',
            check: () => {
              throw new Error(`connect ECONNREFUSED\n    at TCPConnectWrap ${'x'.repeat(500)}`);
            },
          },
          {
            name: 'lavalink',
            check: async () => {
              throw 'plain string failure';
            },
          },
        ],
      });
    });
    after(() => running.server.close());

    it('reports the message on one line, cut to a readable length', async () => {
      const response = await fetch(`${running.baseUrl}/readyz/database`);
      assert.equal(response.status, 503);
      const [line] = (await response.text()).split('\n');
      assert.match(line ?? '', /^\[-\]database failed: connect ECONNREFUSED at TCPConnectWrap x+…$/);
      assert.ok((line ?? '').length < 250);
    });

    it('reports thrown non-errors too', async () => {
      const response = await fetch(`${running.baseUrl}/readyz/lavalink`);
      assert.match(await response.text(), /^\[-\]lavalink failed: plain string failure$/m);
    });
  });

  describe('with a redactor', () => {
    let running: RunningHealthServer;
    before(async () => {
      running = await startHealthServer({
        liveness: [{ name: 'heartbeat', check: () => ({ ok: true, detail: `beat with ${Secret}` }) }],
        readiness: [
          { name: 'database', check: () => ({ ok: false, reason: `auth failed for postgres://bot:${Secret}@db` }) },
          {
            name: 'lavalink',
            check: () => {
              throw new Error(`401 with password ${Secret}`);
            },
          },
        ],
        details: () => ({ db: { url: `postgres://bot:${Secret}@db` }, nodes: [`ws://:${Secret}@lavalink`] }),
        redact: (text) => text.replaceAll(Secret, '[redacted]'),
      });
    });
    after(() => running.server.close());

    it('scrubs reasons, details and thrown messages from every endpoint', async () => {
      for (const path of ['/readyz?verbose', '/readyz/database', '/readyz/lavalink', '/livez?verbose', '/healthz']) {
        const body = await (await fetch(`${running.baseUrl}${path}`)).text();
        assert.ok(!body.includes(Secret), `${path} leaked the secret: ${body}`);
        assert.ok(body.includes('[redacted]') || path === '/livez?verbose', `${path} did not redact: ${body}`);
      }
    });

    it('keeps healthz valid JSON', async () => {
      const body = (await (await fetch(`${running.baseUrl}/healthz`)).json()) as Record<string, unknown>;
      assert.deepEqual(body.db, { url: 'postgres://bot:[redacted]@db' });
      assert.deepEqual((body.checks as Record<string, unknown>).heartbeat, {
        ok: true,
        detail: 'beat with [redacted]',
      });
    });
  });

  describe('when details cannot be produced', () => {
    let running: RunningHealthServer;
    before(async () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      let calls = 0;
      running = await startHealthServer({
        readiness: [{ name: 'database', check: () => ({ ok: true }) }],
        details: () => {
          calls += 1;
          if (calls === 1) throw new Error('pool gone');
          return circular;
        },
      });
    });
    after(() => running.server.close());

    it('still answers healthz, following readiness, and says why the details are missing', async () => {
      const thrown = await fetch(`${running.baseUrl}/healthz`);
      assert.equal(thrown.status, 200);
      assert.equal(((await thrown.json()) as Record<string, unknown>).details_error, 'pool gone');
      const unserialisable = (await (await fetch(`${running.baseUrl}/healthz`)).json()) as Record<string, unknown>;
      assert.equal(unserialisable.details_error, 'details are not serialisable');
      assert.equal(unserialisable.status, 'ok');
    });
  });
});
