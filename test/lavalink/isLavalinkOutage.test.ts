import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { RestError } from 'shoukaku';
import { isLavalinkOutage, LavalinkUnavailableError } from '../../src/lavalink/index.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What `fetch` rejects with for `url` (with `init`), as shoukaku's REST calls see it. */
async function fetchError(url: string, init?: RequestInit): Promise<unknown> {
  try {
    await fetch(url, init);
  } catch (error) {
    return error;
  }
  return assert.fail(`${url} answered`);
}

describe('isLavalinkOutage', () => {
  it('GIVEN no usable node, a player lost with its node, or the gateway closing THEN it is an outage', () => {
    assert.equal(isLavalinkOutage(new LavalinkUnavailableError('no_node', '1')), true);
    assert.equal(isLavalinkOutage(new LavalinkUnavailableError('player_released', '1')), true);
    assert.equal(isLavalinkOutage(new LavalinkUnavailableError('closed')), true);
  });

  it('GIVEN music is not configured THEN it is not an outage: no node will come', () => {
    assert.equal(isLavalinkOutage(new LavalinkUnavailableError('disabled')), false);
  });

  it('GIVEN a REST call to a node that refuses connections THEN it is an outage', async () => {
    const error = await fetchError(`http://127.0.0.1:${await closedPort()}/v4/info`);
    assert.equal(isLavalinkOutage(error), true);
  });

  it("GIVEN a REST call aborted by its timeout (shoukaku's restTimeout aborts its controller) THEN it is an outage", async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const aborted = await fetchError(`http://127.0.0.1:${port}/v4/info`, { signal: controller.signal });
      assert.equal((aborted as Error).name, 'AbortError');
      assert.equal(isLavalinkOutage(aborted), true);
      const timedOut = await fetchError(`http://127.0.0.1:${port}/v4/info`, { signal: AbortSignal.timeout(50) });
      assert.equal(isLavalinkOutage(timedOut), true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('GIVEN a connection the node drops mid-request THEN it is an outage', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      assert.equal(isLavalinkOutage(await fetchError(`http://127.0.0.1:${port}/v4/info`)), true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("GIVEN the node's own error answer, or any other error THEN it is a refusal", () => {
    const answer = new RestError({
      timestamp: Date.now(),
      status: 400,
      error: 'Bad Request',
      message: 'Failed to decode track',
      path: '/v4/sessions/s/players/1',
    });
    assert.equal(isLavalinkOutage(answer), false);
    assert.equal(isLavalinkOutage(new Error('The voice connection is not established in 15 seconds')), false);
    assert.equal(isLavalinkOutage(new TypeError('the snapshot has no voice channel')), false);
    assert.equal(isLavalinkOutage('fetch failed'), false);
    assert.equal(isLavalinkOutage(undefined), false);
  });
});
