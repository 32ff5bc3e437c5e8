import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { FailoverEvent } from '../../src/lavalink/PlayerFailover.js';
import type { PlayerLostEvent } from '../../src/lavalink/ShoukakuGateway.js';
import type { GuildPlayer, PlayerEvent } from '../../src/music/LavalinkGateway.js';
import {
  CatalogueIdentifiers,
  SandboxLavalink,
  type SandboxLavalinkOptions,
} from '../../src/sandbox/lavalink/index.js';
import { FakeClock } from '../sandbox/lavalink/FakeClock.js';
import { until } from '../sandbox/lavalink/until.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import { GatewayHarness } from './GatewayHarness.js';

const telemetry = new InMemoryTelemetry();
const undici = new UndiciInstrumentation();

const rejections: unknown[] = [];
process.on('unhandledRejection', (reason) => rejections.push(reason));

describe('ShoukakuGateway failover between sandbox Lavalink nodes', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    assert.deepEqual(rejections, [], 'no unhandled rejection');
  });
  after(() => undici.disable());
  const clock = new FakeClock();
  const startNode = async (options: SandboxLavalinkOptions) => {
    const node = await SandboxLavalink.start({
      now: clock.now,
      statsIntervalMs: 50,
      playerUpdateIntervalMs: 20,
      ...options,
    });
    cleanups.push(() => node.close());
    return node;
  };
  const startHarness = async (nodes: SandboxLavalink[]) => {
    const harness = await GatewayHarness.start(nodes, { now: clock.now });
    cleanups.push(() => harness[Symbol.asyncDispose]());
    return harness;
  };
  /** Two nodes, the bot playing Night Drive on a at 75 s. */
  const playingOnA = async () => {
    const a = await startNode({ name: 'a', load: { systemLoad: 0.1 } });
    const b = await startNode({ name: 'b', load: { systemLoad: 0.5 } });
    const harness = await startHarness([a, b]);
    const player = await harness.join();
    assert.equal(player.node, 'a');
    const track = await harness.track(CatalogueIdentifiers.nightDrive);
    await player.play(track, { volume: 70, filters: { timescale: { pitch: 1.1 } } });
    clock.advance(75_000);
    await until(() => player.position() === 75_000, 'a player update at 75 s');
    return { a, b, harness, player, track };
  };
  const events = (player: GuildPlayer) => {
    const seen: PlayerEvent[] = [];
    player.onEvent((event) => seen.push(event));
    return seen;
  };

  it('GIVEN a node dies mid-track THEN its player resumes on the other node: same track, same position, same settings', async () => {
    const { a, b, harness, player, track } = await playingOnA();
    const seen = events(player);
    const failovers: FailoverEvent[] = [];
    harness.gateway.on('failover', (event) => failovers.push(event));
    telemetry.reset();

    a.kill();
    await until(() => b.player(harness.guildId)?.track !== null && b.player(harness.guildId) !== undefined, 'the move');
    const moved = b.player(harness.guildId);
    assert.equal(moved?.track?.encoded, track.encoded);
    assert.equal(moved?.position, 75_000);
    assert.deepEqual([moved?.paused, moved?.volume, moved?.filters], [false, 70, { timescale: { pitch: 1.1 } }]);
    assert.equal(moved?.voice?.channelId, harness.voiceChannelId);
    assert.equal(player.node, 'b');
    assert.equal(harness.gateway.player(harness.guildId), player, 'the same GuildPlayer');
    await until(() => failovers.length === 1, 'the failover event');
    assert.deepEqual(failovers[0], {
      guildId: harness.guildId,
      from: 'a',
      to: 'b',
      outcome: 'success',
      trigger: 'reconnect_failed',
      positionMs: 75_000,
    });

    assert.equal(
      await telemetry.total('metronome.lavalink.node.failovers', { from: 'a', to: 'b', outcome: 'success' }),
      1,
    );
    assert.equal(
      await telemetry.total('metronome.automation.actions', { action: 'node_failover', outcome: 'success' }),
      1,
    );
    const [span] = telemetry.spans('lavalink failover');
    assert.ok(span);
    assert.equal(span.parentSpanContext, undefined, 'a root span');
    assert.deepEqual(
      [
        span.attributes['metronome.failover.from'],
        span.attributes['metronome.failover.to'],
        span.attributes['metronome.failover.trigger'],
        span.attributes['discord.guild.id'],
        span.attributes['metronome.failover.position_ms'],
        span.attributes['metronome.outcome'],
      ],
      ['a', 'b', 'reconnect_failed', harness.guildId, 75_000, 'success'],
    );
    const patch = telemetry.spans().find((s) => s.parentSpanContext?.spanId === span.spanContext().spanId);
    assert.match(String(patch?.attributes['url.full']), /\/players\//, 'the PATCH to b is a child of the failover');

    // Playback goes on through the same listeners, and the player is usable on b.
    await player.setVolume(90);
    assert.equal(b.player(harness.guildId)?.volume, 90);
    clock.advance(214_000 - 75_000);
    b.tick();
    await until(() => seen.some((e) => e.type === 'end'), 'the end of the track from b');
    assert.deepEqual(seen.at(-1), { type: 'end', encoded: track.encoded, reason: 'finished' });
    assert.deepEqual(harness.statuses(), { a: 'down', b: 'connected' });
  });

  it('GIVEN every node dies THEN the player is stopped, leaves voice and playerLost is emitted; a revived node is re-added, announced usable once and used', async () => {
    const { a, b, harness, player } = await playingOnA();
    const lost: PlayerLostEvent[] = [];
    harness.gateway.on('playerLost', (event) => lost.push(event));
    let usable = 0;
    harness.gateway.on('usable', () => usable++);

    a.kill();
    assert.equal(usable, 0, 'b was usable all along');
    b.kill();
    await until(() => lost.length === 1, 'playerLost');
    assert.equal(lost[0]?.guildId, harness.guildId);
    assert.equal(lost[0]?.reason, 'no_node');
    assert.equal(harness.gateway.player(harness.guildId), undefined);
    assert.equal(harness.gateway.shoukaku?.connections.has(harness.guildId), false, 'left voice');
    await player.destroy();
    assert.ok((await telemetry.total('metronome.lavalink.node.failovers', { to: 'none', outcome: 'no_node' })) >= 1);
    assert.equal((await harness.gateway.readinessCheck().check(AbortSignal.timeout(100))).ok, false);
    const up = await telemetry.points('metronome.lavalink.node.up');
    assert.deepEqual(
      up.map((p) => p.value),
      [0, 0],
    );
    await assert.rejects(harness.track(CatalogueIdentifiers.nightDrive), { reason: 'no_node' });

    // Let shoukaku give up on a (3 quick tries), so the gateway is in its re-add loop when a comes back.
    await until(() => !harness.gateway.shoukaku?.nodes.has('a') || harness.statuses().a === 'connecting', 'a drop');
    a.revive();
    await harness.nodesConnected('a');
    assert.equal(usable, 1, 'usable again, announced once');
    assert.equal((await harness.gateway.readinessCheck().check(AbortSignal.timeout(100))).ok, true);
    harness.discord.moveMember(harness.guildId, harness.client.user!.id, null);
    const again = await harness.join();
    assert.equal(again.node, 'a');
    const track = await harness.track(CatalogueIdentifiers.shortTrack);
    await again.play(track);
    const session = harness.gateway.shoukaku?.nodes.get('a')?.sessionId ?? undefined;
    assert.equal(a.player(harness.guildId, session)?.track?.encoded, track.encoded);
    assert.ok(harness.logs.some((l) => l.msg === 'lavalink node is back' && l.node === 'a'));
  });

  it('GIVEN a node restarts and comes back with a new session THEN its players are replayed where they were', async () => {
    const { a, b, harness, player, track } = await playingOnA();
    const failovers: FailoverEvent[] = [];
    harness.gateway.on('failover', (event) => failovers.push(event));
    a.restart();
    await until(() => failovers.length === 1, 'the failover');
    assert.equal(failovers[0]?.trigger, 'session_lost');
    assert.equal(failovers[0]?.outcome, 'success');
    const node = failovers[0]?.to === 'a' ? a : b;
    const replayed = node.player(
      harness.guildId,
      harness.gateway.shoukaku?.nodes.get(node.name)?.sessionId ?? undefined,
    );
    assert.equal(replayed?.track?.encoded, track.encoded);
    assert.equal(replayed?.position, 75_000);
    assert.equal(player.node, node.name);
  });

  it('GIVEN a network blip that resumes at once THEN nothing moves', async () => {
    const { a, harness, player } = await playingOnA();
    const failovers: FailoverEvent[] = [];
    harness.gateway.on('failover', (event) => failovers.push(event));
    a.dropConnections();
    await until(() => harness.logs.some((l) => l.msg === 'lavalink node resumed its session'), 'the resume');
    assert.deepEqual(failovers, []);
    assert.equal(player.node, 'a');
    assert.equal(a.player(harness.guildId)?.position, 75_000);
  });

  it('GIVEN players moved off a node that then resumed its session THEN the stale copies there are deleted', async () => {
    const a = await startNode({ name: 'a', load: { systemLoad: 0.1 } });
    const b = await startNode({ name: 'b', load: { systemLoad: 0.5 } });
    // No patience at all: the players move before the reconnect (which resumes) completes.
    const harness = await GatewayHarness.start([a, b], { now: clock.now, failoverAfterMs: 0 });
    cleanups.push(() => harness[Symbol.asyncDispose]());
    const player = await harness.join();
    const track = await harness.track(CatalogueIdentifiers.nightDrive);
    await player.play(track);
    const seen = events(player);
    const failovers: FailoverEvent[] = [];
    harness.gateway.on('failover', (event) => failovers.push(event));

    a.dropConnections();
    // Generous waits: in a full test run, two files and their bots share two cores, and this moved a player late.
    await until(() => failovers.length === 1, 'the failover', 15_000);
    assert.deepEqual([failovers[0]?.trigger, failovers[0]?.to], ['stalled', 'b']);
    await until(() => harness.logs.some((l) => l.msg === 'lavalink node resumed its session'), 'the resume', 15_000);
    await until(() => a.player(harness.guildId) === undefined, 'the stale copy on a to be deleted');
    assert.ok(harness.logs.some((l) => l.msg === 'removing the stale copy of a moved player' && l.node === 'a'));
    assert.equal(b.player(harness.guildId)?.track?.encoded, track.encoded);
    assert.equal(player.node, 'b');
    assert.deepEqual(
      seen.filter((e) => e.type === 'end'),
      [],
      'the stale copy ending is not the moved player ending',
    );
  });

  it('moves an idle player too, so that the next track can play on the new node', async () => {
    const a = await startNode({ name: 'a', load: { systemLoad: 0.1 } });
    const b = await startNode({ name: 'b', load: { systemLoad: 0.5 } });
    const harness = await startHarness([a, b]);
    const player = await harness.join();
    const failovers: FailoverEvent[] = [];
    harness.gateway.on('failover', (event) => failovers.push(event));
    a.kill();
    await until(() => failovers.length === 1, 'the move');
    assert.deepEqual([failovers[0]?.outcome, failovers[0]?.positionMs, player.node], ['success', 0, 'b']);
    assert.equal(b.player(harness.guildId)?.voice?.channelId, harness.voiceChannelId);
    const track = await harness.track(CatalogueIdentifiers.shortTrack);
    await player.play(track);
    assert.equal(b.player(harness.guildId)?.track?.encoded, track.encoded);
  });

  it('ends the failover span in error when no node could take the player', async () => {
    telemetry.reset();
    const a = await startNode({ name: 'a' });
    const harness = await startHarness([a]);
    const player = await harness.join();
    await player.play(await harness.track(CatalogueIdentifiers.nightDrive));
    a.kill();
    await until(() => telemetry.spans('lavalink failover').length === 1, 'the failover span');
    const [span] = telemetry.spans('lavalink failover');
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
    assert.equal(span?.attributes['metronome.outcome'], 'no_node');
    assert.equal(span?.attributes['metronome.failover.to'], 'none');
  });
});
