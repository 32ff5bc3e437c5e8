import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckResult, HealthCheck } from '../../src/health/HealthCheck.js';
import { HealthServer } from '../../src/health/HealthServer.js';
import { type RunningHealthServer, startHealthServer } from './startHealthServer.js';

function fixed(name: string, result: CheckResult): HealthCheck {
  return { name, check: () => result };
}

describe('HealthServer', () => {
  describe('when every check passes', () => {
    let running: RunningHealthServer;
    const requests: Array<[string, number]> = [];
    before(async () => {
      running = await startHealthServer({
        liveness: [fixed('eventloop', { ok: true, detail: 'max delay 3ms' })],
        readiness: [fixed('gateway', { ok: true }), fixed('database', { ok: true })],
        details: () => ({ shards: [{ id: 0, status: 'ready' }], players: 2 }),
        onRequest: (path, status) => requests.push([path, status]),
      });
    });
    after(() => running.server.close());

    it('answers livez and readyz with a plain ok', async () => {
      for (const path of ['/livez', '/readyz']) {
        const response = await fetch(`${running.baseUrl}${path}`);
        assert.equal(response.status, 200);
        assert.equal(await response.text(), 'ok');
        assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
        assert.equal(response.headers.get('cache-control'), 'no-store');
      }
    });

    it('lists every readiness check, then the shutdown check, when asked for verbose output', async () => {
      const response = await fetch(`${running.baseUrl}/readyz?verbose`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), '[+]gateway ok\n[+]database ok\n[+]shutdown ok\nreadyz check passed\n');
    });

    it('lists liveness checks the same way', async () => {
      const response = await fetch(`${running.baseUrl}/livez?verbose`);
      assert.equal(await response.text(), '[+]eventloop ok\nlivez check passed\n');
    });

    it('answers one check by name', async () => {
      const ready = await fetch(`${running.baseUrl}/readyz/database`);
      assert.equal(ready.status, 200);
      assert.equal(await ready.text(), 'ok');
      const live = await fetch(`${running.baseUrl}/livez/eventloop?verbose`);
      assert.equal(await live.text(), '[+]eventloop ok\nlivez check passed\n');
    });

    it('answers 404 for an unknown check and for a check asked of the wrong probe', async () => {
      assert.equal((await fetch(`${running.baseUrl}/readyz/nope`)).status, 404);
      assert.equal((await fetch(`${running.baseUrl}/livez/database`)).status, 404);
    });

    it('answers 404 for paths that are not endpoints', async () => {
      for (const path of ['/', '/metrics', '/healthz/database', '/readyz/database/extra']) {
        const response = await fetch(`${running.baseUrl}${path}`);
        assert.equal(response.status, 404, path);
        await response.body?.cancel();
      }
    });

    it('answers 405 with an Allow header for methods other than GET and HEAD', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
        const response = await fetch(`${running.baseUrl}/readyz`, { method });
        assert.equal(response.status, 405, method);
        assert.equal(response.headers.get('allow'), 'GET, HEAD');
        await response.body?.cancel();
      }
    });

    it('answers HEAD with the status and headers of GET and no body', async () => {
      const response = await fetch(`${running.baseUrl}/healthz`, { method: 'HEAD' });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(await response.text(), '');
    });

    it('describes every check and the injected details as JSON on healthz', async () => {
      const response = await fetch(`${running.baseUrl}/healthz`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.status, 'ok');
      assert.equal(typeof body.uptime_s, 'number');
      assert.deepEqual(body.checks, {
        eventloop: { ok: true, detail: 'max delay 3ms' },
        gateway: { ok: true },
        database: { ok: true },
        shutdown: { ok: true },
      });
      assert.deepEqual(body.shards, [{ id: 0, status: 'ready' }]);
      assert.equal(body.players, 2);
    });

    it('reports each answer to onRequest without leaking arbitrary paths', async () => {
      requests.length = 0;
      await (await fetch(`${running.baseUrl}/readyz/database`)).text();
      await (await fetch(`${running.baseUrl}/some/random/path`)).text();
      assert.deepEqual(requests, [
        ['/readyz/database', 200],
        ['<unmatched>', 404],
      ]);
    });
  });

  describe('when a readiness check fails', () => {
    let running: RunningHealthServer;
    before(async () => {
      running = await startHealthServer({
        liveness: [fixed('eventloop', { ok: true })],
        readiness: [fixed('gateway', { ok: true }), fixed('lavalink', { ok: false, reason: 'no node connected' })],
      });
    });
    after(() => running.server.close());

    it('answers readyz 503 and withholds the reason unless verbose', async () => {
      const plain = await fetch(`${running.baseUrl}/readyz`);
      assert.equal(plain.status, 503);
      assert.equal(
        await plain.text(),
        '[+]gateway ok\n[-]lavalink failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n',
      );
      const verbose = await fetch(`${running.baseUrl}/readyz?verbose`);
      assert.equal(verbose.status, 503);
      assert.match(await verbose.text(), /^\[-\]lavalink failed: no node connected$/m);
    });

    it('gives the reason when the failing check is asked for by name', async () => {
      const response = await fetch(`${running.baseUrl}/readyz/lavalink`);
      assert.equal(response.status, 503);
      assert.equal(await response.text(), '[-]lavalink failed: no node connected\nreadyz check failed\n');
    });

    it('keeps livez passing, since a restart would not bring a node back', async () => {
      assert.equal((await fetch(`${running.baseUrl}/livez`)).status, 200);
    });

    it('answers healthz 503 with the reason', async () => {
      const response = await fetch(`${running.baseUrl}/healthz`);
      assert.equal(response.status, 503);
      const body = (await response.json()) as { status: string; checks: Record<string, unknown> };
      assert.equal(body.status, 'failing');
      assert.deepEqual(body.checks.lavalink, { ok: false, reason: 'no node connected' });
    });
  });

  describe('when shutdown begins', () => {
    let running: RunningHealthServer;
    before(async () => {
      running = await startHealthServer({ readiness: [fixed('database', { ok: true })] });
    });
    after(() => running.server.close());

    it('flips readyz to 503 at once while livez stays 200', async () => {
      assert.equal((await fetch(`${running.baseUrl}/readyz`)).status, 200);
      running.server.beginShutdown();
      const ready = await fetch(`${running.baseUrl}/readyz?verbose`);
      assert.equal(ready.status, 503);
      assert.equal(await ready.text(), '[+]database ok\n[-]shutdown failed: shutting down\nreadyz check failed\n');
      assert.equal((await fetch(`${running.baseUrl}/readyz/shutdown`)).status, 503);
      assert.equal((await fetch(`${running.baseUrl}/livez`)).status, 200);
      assert.equal((await fetch(`${running.baseUrl}/healthz`)).status, 503);
    });
  });

  describe('lifecycle', () => {
    it('reports the bound port and refuses a second listen', async () => {
      const server = new HealthServer({ host: '127.0.0.1', port: 0, liveness: [], readiness: [] });
      assert.throws(() => server.port, /not listening/);
      const { port } = await server.listen();
      assert.ok(port > 0);
      assert.equal(server.port, port);
      await assert.rejects(server.listen(), /only once/);
      await server.close();
      await server.close();
    });

    it('closes promptly when disposed, even with keep-alive connections open', async () => {
      const { server, baseUrl } = await startHealthServer();
      await (await fetch(`${baseUrl}/livez`)).text();
      const started = performance.now();
      await server[Symbol.asyncDispose]();
      assert.ok(performance.now() - started < 1_000);
    });

    it('rejects check names that cannot be addressed, are duplicated or are reserved', () => {
      const make = (liveness: HealthCheck[], readiness: HealthCheck[]) => () =>
        new HealthServer({ host: '127.0.0.1', port: 0, liveness, readiness });
      assert.throws(make([], [fixed('has space', { ok: true })]), /Invalid/);
      assert.throws(make([], [fixed('db', { ok: true }), fixed('db', { ok: true })]), /Duplicate/);
      assert.throws(make([fixed('db', { ok: true })], [fixed('db', { ok: true })]), /Two different/);
      assert.throws(make([], [fixed('shutdown', { ok: true })]), /reserved/);
      const shared = fixed('heartbeat', { ok: true });
      assert.doesNotThrow(make([shared], [shared]));
    });
  });
});
