import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Constants, type TrackEndEvent } from 'shoukaku';
import {
  CatalogueIdentifiers,
  SandboxLavalink,
  type SandboxLavalinkOptions,
} from '../../../src/sandbox/lavalink/index.js';
import { FakeClock } from './FakeClock.js';
import { next, ShoukakuHarness } from './ShoukakuHarness.js';
import { until } from './until.js';

describe('sandbox Lavalink node death, resume and failover with shoukaku 4.3', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const startNode = async (options: SandboxLavalinkOptions) => {
    const node = await SandboxLavalink.start({ statsIntervalMs: 50, playerUpdateIntervalMs: 20, ...options });
    cleanups.push(() => node.close());
    return node;
  };
  const startHarness = async (...args: Parameters<typeof ShoukakuHarness.start>) => {
    const harness = await ShoukakuHarness.start(...args);
    cleanups.push(() => harness[Symbol.asyncDispose]());
    return harness;
  };

  it('GIVEN a network blip THEN shoukaku reconnects at once and resumes the same session with its players', async () => {
    const clock = new FakeClock();
    const lavalink = await startNode({ name: 'a', now: clock.now });
    const harness = await startHarness([lavalink.nodeOption()]);
    const node = harness.node('a');
    const sessionId = node.sessionId;
    await until(() => lavalink.sessions[0]?.resuming === true, 'resuming');
    const player = await harness.join();
    await player.playTrack({ track: { encoded: await harness.encoded(CatalogueIdentifiers.shortTrack) } });

    const closed = next<string>(harness.shoukaku, 'close');
    const ready = new Promise<boolean>((resolve) =>
      harness.shoukaku.once('ready', (_name, resumed) => resolve(resumed)),
    );
    lavalink.dropConnections();
    assert.equal(await closed, 'a');
    assert.equal(await ready, true);
    assert.equal(node.sessionId, sessionId);
    assert.equal(node.state, Constants.State.CONNECTED);
    assert.deepEqual(
      lavalink.sessions.map((s) => [s.id, s.resumes, s.players]),
      [[sessionId, 1, [harness.guildId]]],
    );
    const ended = next<TrackEndEvent>(player, 'end');
    clock.advance(5000);
    lavalink.tick();
    assert.equal((await ended).reason, 'finished');
    assert.deepEqual(harness.errors, []);
  });

  it('GIVEN a node down for longer than one reconnect THEN shoukaku 4.3 resumes, then drops the node anyway', async () => {
    const clock = new FakeClock();
    const lavalink = await startNode({ name: 'a', now: clock.now });
    const harness = await startHarness([lavalink.nodeOption()]);
    const node = harness.node('a');
    await until(() => lavalink.sessions[0]?.resuming === true, 'resuming');
    const player = await harness.join();
    await player.playTrack({ track: { encoded: await harness.encoded(CatalogueIdentifiers.nightDrive) } });
    clock.advance(30_000);
    await until(() => player.position === 30_000, 'a player update at 30 s');

    lavalink.kill();
    await until(() => harness.errors.length > 0, 'a refused reconnect');
    const disconnected = next(node, 'disconnect');
    lavalink.revive();
    // Node.connect() keeps the error of the failed attempt and, after the successful one, still tears the new
    // socket down, emits `disconnect` and rethrows it; shoukaku then forgets the node.
    await disconnected;
    assert.equal(harness.shoukaku.nodes.has('a'), false);
    await until(() => lavalink.sessions[0]?.state === 'paused', 'the session to be left paused');
    assert.equal(lavalink.sessions[0]?.resumes, 1, 'the handshake did resume it');
    assert.deepEqual(lavalink.sessions[0]?.players, [harness.guildId]);

    // What the bot has to do: add the node again (a new session) and move its players onto it by hand.
    const ready = next(harness.shoukaku, 'ready');
    harness.shoukaku.addNode(lavalink.nodeOption());
    await ready;
    const readded = harness.node('a');
    assert.notEqual(readded.sessionId, lavalink.sessions[0]?.id);
    player.node = readded;
    await player.resume();
    const moved = lavalink.player(harness.guildId, readded.sessionId ?? undefined);
    assert.equal(moved?.track?.info.title, 'Night Drive');
    assert.equal(moved?.position, 30_000);
  });

  it('GIVEN a restarted node THEN shoukaku opens a new session, and resumeByLibrary replays its players', async () => {
    const clock = new FakeClock();
    const lavalink = await startNode({ name: 'a', now: clock.now });
    const harness = await startHarness([lavalink.nodeOption()], { shoukaku: { resumeByLibrary: true } });
    const node = harness.node('a');
    const oldSession = node.sessionId;
    const player = await harness.join();
    await player.playTrack({ track: { encoded: await harness.encoded(CatalogueIdentifiers.nightDrive) } });
    clock.advance(42_000);
    await until(() => player.position === 42_000, 'a player update at 42 s');

    const ready = new Promise<[boolean, boolean]>((resolve) =>
      harness.shoukaku.once('ready', (_name, resumed, byLibrary) => resolve([resumed, byLibrary])),
    );
    lavalink.restart();
    assert.deepEqual(await ready, [false, true]);
    assert.notEqual(node.sessionId, oldSession);
    const restored = lavalink.player(harness.guildId, node.sessionId ?? undefined);
    assert.equal(restored?.track?.info.title, 'Night Drive');
    assert.equal(restored?.position, 42_000);
    assert.equal(node.state, Constants.State.CONNECTED);
  });

  it('GIVEN shoukaku.removeNode THEN the removed node reconnects on its own and keeps a session open', async () => {
    const lavalink = await startNode({ name: 'a' });
    const harness = await startHarness([lavalink.nodeOption()]);
    const removed = harness.node('a');
    await until(() => lavalink.sessions[0]?.resuming === true, 'resuming');
    const ready = next<boolean>(removed, 'ready');
    harness.shoukaku.removeNode('a');
    // Node.disconnect() closes the socket, and the close handler reconnects unconditionally.
    assert.equal(await ready, true);
    assert.equal(harness.shoukaku.nodes.has('a'), false);
    assert.deepEqual(
      lavalink.sessions.map((s) => [s.state, s.resumes]),
      [['open', 1]],
    );
    removed.ws?.removeAllListeners();
    removed.ws?.terminate();
  });

  it('moves a player to a second node by hand, keeping track and position (Player.move() cannot)', async () => {
    const clock = new FakeClock();
    const a = await startNode({ name: 'a', now: clock.now });
    const b = await startNode({ name: 'b', now: clock.now, load: { systemLoad: 0.9 } });
    const harness = await startHarness([a.nodeOption(), b.nodeOption()], { shoukaku: { reconnectTries: 2 } });
    await until(() => harness.node('b').stats !== null && harness.node('a').stats !== null, 'stats from both');
    const player = await harness.join();
    assert.equal(player.node.name, 'a', 'the idle node wins on penalties');
    await player.playTrack({ track: { encoded: await harness.encoded(CatalogueIdentifiers.nightDrive) } });
    clock.advance(75_000);
    await until(() => player.position === 75_000, 'a player update at 75 s');

    a.kill({ forgetSessions: true });
    await until(() => !harness.shoukaku.nodes.has('a'), 'shoukaku to drop node a after its reconnects');
    // Player.move() first destroys the player on the old node, which is unreachable, so it throws.
    await assert.rejects(player.move('b'));
    const target = harness.shoukaku.getIdealNode();
    assert.equal(target?.name, 'b');
    player.node = target!;
    const started = next(player, 'start');
    await player.resume();
    await started;
    const moved = b.player(harness.guildId);
    assert.equal(moved?.track?.info.title, 'Night Drive');
    assert.equal(moved?.position, 75_000);
    assert.equal(moved?.voice?.channelId, harness.voiceChannelId);
    assert.equal(a.players().length, 0);
  });
});
