import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { constants, createInflate } from 'node:zlib';
import { WebSocket } from 'ws';
import { SandboxDiscord } from '../../../src/sandbox/discord/index.js';

interface Payload {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** A raw gateway client, for protocol details discord.js never exercises. */
async function connect(sandbox: SandboxDiscord, query = 'v=10&encoding=json') {
  const socket = new WebSocket(`${sandbox.gatewayUrl}?${query}`);
  const received: Payload[] = [];
  socket.on('message', (data, isBinary) => {
    if (!isBinary) received.push(JSON.parse(data.toString()) as Payload);
  });
  await once(socket, 'open');
  const next = async (op: number, t?: string): Promise<Payload> => {
    for (;;) {
      const found = received.find((p) => p.op === op && (t === undefined || p.t === t));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const closed = once(socket, 'close').then(([code]) => code as number);
  return { socket, received, next, closed, send: (p: object) => socket.send(JSON.stringify(p)) };
}

describe('sandbox Discord gateway protocol', () => {
  let sandbox: SandboxDiscord;
  before(async () => {
    sandbox = await SandboxDiscord.start({ shardCount: 2, guilds: [{ name: 'A' }, { name: 'B' }] });
  });
  after(async () => {
    await sandbox.close();
  });

  it('says HELLO with the heartbeat interval first', async () => {
    const gateway = await connect(sandbox);
    const hello = await gateway.next(10);
    assert.deepEqual((hello.d as { heartbeat_interval: number }).heartbeat_interval, 41_250);
    assert.equal(hello.s, null);
    gateway.socket.close();
  });

  it('sends READY with the shard, unavailable guilds of that shard, and a resume URL', async () => {
    const gateway = await connect(sandbox);
    await gateway.next(10);
    gateway.send({ op: 2, d: { token: sandbox.token, intents: 1, properties: {}, shard: [1, 2] } });
    const ready = await gateway.next(0, 'READY');
    const d = ready.d as {
      v: number;
      shard: number[];
      guilds: { id: string; unavailable: boolean }[];
      resume_gateway_url: string;
    };
    assert.equal(ready.s, 1);
    assert.equal(d.v, 10);
    assert.deepEqual(d.shard, [1, 2]);
    assert.deepEqual(
      d.guilds.map((g) => g.id),
      [sandbox.guild('B').id],
    );
    assert.ok(d.guilds.every((g) => g.unavailable));
    assert.equal(d.resume_gateway_url, `${sandbox.gatewayUrl}/resume`);
    const guildCreate = await gateway.next(0, 'GUILD_CREATE');
    assert.equal(guildCreate.s, 2);
    assert.equal((guildCreate.d as { name: string }).name, 'B');
    gateway.send({ op: 1, d: 2 });
    await gateway.next(11);
    gateway.socket.close(1000);
  });

  it('closes with 4004 on a wrong token and 4003 on a payload before IDENTIFY', async () => {
    const wrongToken = await connect(sandbox);
    await wrongToken.next(10);
    wrongToken.send({ op: 2, d: { token: 'nope', intents: 1, properties: {} } });
    assert.equal(await wrongToken.closed, 4004);
    const early = await connect(sandbox);
    await early.next(10);
    early.send({ op: 3, d: { status: 'online', activities: [], since: null, afk: false } });
    assert.equal(await early.closed, 4003);
  });

  it('closes with 4014 when identifying with intents the bot may not use', async () => {
    await using restricted = await SandboxDiscord.start({ allowedIntents: 1 });
    const gateway = await connect(restricted);
    await gateway.next(10);
    gateway.send({ op: 2, d: { token: restricted.token, intents: 1 | (1 << 15), properties: {} } });
    assert.equal(await gateway.closed, 4014);
  });

  it('answers a RESUME of an unknown session with a non-resumable INVALID_SESSION', async () => {
    const gateway = await connect(sandbox);
    await gateway.next(10);
    gateway.send({ op: 6, d: { token: sandbox.token, session_id: 'unknown', seq: 3 } });
    const invalid = await gateway.next(9);
    assert.equal(invalid.d, false);
    gateway.socket.close();
  });

  it('compresses with zlib-stream when the client asks for it', async () => {
    const socket = new WebSocket(`${sandbox.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    const text: string[] = [];
    inflate.on('data', (chunk: Buffer) => text.push(chunk.toString()));
    socket.on('message', (data: Buffer, isBinary) => {
      assert.equal(isBinary, true);
      inflate.write(data);
    });
    const deadline = Date.now() + 2000;
    while (!text.join('').includes('"op":10') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const hello = JSON.parse(text.join('')) as Payload;
    assert.equal(hello.op, 10);
    socket.close();
    inflate.close();
  });
});
