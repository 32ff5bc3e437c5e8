import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { Secret } from '../../src/config/Secret.js';
import { isLavalinkOutage } from '../../src/lavalink/isLavalinkOutage.js';
import { LavalinkUnavailableError } from '../../src/lavalink/LavalinkUnavailableError.js';
import { ShoukakuGateway } from '../../src/lavalink/ShoukakuGateway.js';
import type { GuildPlayer, PlayerEvent } from '../../src/music/LavalinkGateway.js';
import { CatalogueIdentifiers, SandboxLavalink } from '../../src/sandbox/lavalink/index.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { LavalinkInstruments } from '../../src/telemetry/LavalinkInstruments.js';
import { withSpan } from '../../src/telemetry/spans.js';
import { FakeClock } from '../sandbox/lavalink/FakeClock.js';
import { until } from '../sandbox/lavalink/until.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import { GatewayHarness, query } from './GatewayHarness.js';

const telemetry = new InMemoryTelemetry();
// Registered after the providers: undici spans are how Lavalink REST calls show up in traces.
const undici = new UndiciInstrumentation();

const rejections: unknown[] = [];
process.on('unhandledRejection', (reason) => rejections.push(reason));

function nextEvent(player: GuildPlayer, type: PlayerEvent['type'], timeoutMs = 5000): Promise<PlayerEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no ${type} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = player.onEvent((event) => {
      if (event.type !== type) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

describe('ShoukakuGateway against two sandbox Lavalink nodes', () => {
  let clock: FakeClock;
  let a: SandboxLavalink;
  let b: SandboxLavalink;
  let harness: GatewayHarness;
  let player: GuildPlayer;

  before(async () => {
    clock = new FakeClock();
    const common = { now: clock.now, statsIntervalMs: 50, playerUpdateIntervalMs: 20 };
    a = await SandboxLavalink.start({ name: 'a', ...common, load: { systemLoad: 0.1 } });
    // Busier, so new players go to a.
    b = await SandboxLavalink.start({ name: 'b', ...common, load: { systemLoad: 0.8 } });
    harness = await GatewayHarness.start([a, b], { now: clock.now });
  });
  after(async () => {
    await harness[Symbol.asyncDispose]();
    await a.close();
    await b.close();
    undici.disable();
  });
  afterEach(() => assert.deepEqual(rejections, [], 'no unhandled rejection'));

  it('loads tracks, playlists, searches, streams, empty and failing identifiers as LoadResults', async () => {
    const { gateway } = harness;
    const track = await gateway.load(await query(CatalogueIdentifiers.nightDrive));
    assert.equal(track.kind, 'track');
    assert.deepEqual(
      { ...track.tracks[0], encoded: '' },
      {
        encoded: '',
        identifier: 'Nd7kQ2xLm0A',
        title: 'Night Drive',
        author: 'Neon Avenue',
        lengthMs: 214_000,
        isStream: false,
        isSeekable: true,
        uri: 'https://www.youtube.com/watch?v=Nd7kQ2xLm0A',
        artworkUrl: 'https://i.ytimg.com/vi/Nd7kQ2xLm0A/maxresdefault.jpg',
        sourceName: 'youtube',
      },
    );
    const playlist = await gateway.load(await query(CatalogueIdentifiers.playlist));
    assert.equal(playlist.kind, 'playlist');
    assert.equal(playlist.tracks.length, 8);
    assert.equal(playlist.kind === 'playlist' && playlist.playlistName.length > 0, true);
    const search = await gateway.load(await query('road'));
    assert.equal(search.kind, 'search');
    assert.deepEqual(
      search.tracks.map((t) => t.title),
      ['Road to Nowhere (Live)', 'Open Road Anthem', 'Summer Road Trip', 'Dreams of the Open Road'],
    );
    const stream = await gateway.load(await query(CatalogueIdentifiers.liveStream));
    assert.deepEqual([stream.tracks[0]?.isStream, stream.tracks[0]?.lengthMs], [true, 0]);
    assert.deepEqual(await gateway.load(await query(CatalogueIdentifiers.missingTrack)), { kind: 'empty', tracks: [] });
    const privateTrack = await gateway.load(await query(CatalogueIdentifiers.privateTrack));
    assert.equal(privateTrack.kind, 'error');
    assert.equal(privateTrack.kind === 'error' && privateTrack.error.severity, 'common');
    const broken = await gateway.load(await query(CatalogueIdentifiers.brokenTrack));
    assert.equal(broken.kind === 'error' && broken.error.severity, 'fault');
  });

  it('sends search text with the configured prefix, so it cannot select another source', async () => {
    await harness.gateway.load(await query('scsearch:road'));
    const load = b.requests.concat(a.requests).findLast((r) => r.route === '/v4/loadtracks');
    assert.match(load?.query ?? '', /identifier=ytsearch%3Ascsearch%3Aroad/);
  });

  it('GIVEN a command span THEN Lavalink REST calls are undici child spans of it', async () => {
    telemetry.reset();
    const commandSpanId = await withSpan('command play', undefined, async (span) => {
      await harness.gateway.load(await query(CatalogueIdentifiers.nightDrive));
      return span.spanContext().spanId;
    });
    const child = telemetry.spans().find((s) => s.parentSpanContext?.spanId === commandSpanId);
    assert.ok(child, 'an undici span under the command span');
    assert.match(String(child.attributes['url.full']), /\/v4\/loadtracks\?identifier=/);
  });

  it('joins the idle node and plays: start arrives through the GuildPlayer, with the voice state complete', async () => {
    player = await harness.join();
    assert.equal(player.node, 'a');
    assert.equal(harness.gateway.player(harness.guildId), player);
    assert.equal(a.player(harness.guildId)?.voice?.channelId, harness.voiceChannelId);
    const started = nextEvent(player, 'start');
    const track = await harness.track(CatalogueIdentifiers.shortTrack);
    await player.play(track, { volume: 80 });
    assert.deepEqual(await started, { type: 'start', encoded: track.encoded });
    assert.equal(a.player(harness.guildId)?.volume, 80);
  });

  it('reports the end of a track as an end event with its reason', async () => {
    const ended = nextEvent(player, 'end');
    clock.advance(5000);
    a.tick();
    const event = await ended;
    assert.equal(event.type === 'end' && event.reason, 'finished');
    assert.equal(player.position(), 0);
  });

  it('pauses, seeks, sets volume and the whole filter set; the position is extrapolated on the clock', async () => {
    const track = await harness.track(CatalogueIdentifiers.nightDrive);
    await player.play(track);
    clock.advance(10_000);
    assert.equal(player.position(), 10_000);
    await player.seek(60_000);
    await player.setVolume(150);
    await player.setFilters({ timescale: { speed: 1.5 } });
    clock.advance(2_000);
    assert.equal(player.position(), 63_000, 'plays at 1.5x');
    await player.pause();
    clock.advance(30_000);
    assert.equal(player.position(), 63_000, 'stands still while paused');
    const remote = a.player(harness.guildId);
    assert.deepEqual(
      [remote?.paused, remote?.volume, remote?.position, remote?.filters],
      [true, 150, 63_000, { timescale: { speed: 1.5 } }],
    );
    // The filter set is replaced, not merged: the timescale is gone.
    await player.setFilters({ equalizer: [{ band: 0, gain: 0.2 }] });
    assert.deepEqual(a.player(harness.guildId)?.filters, { equalizer: [{ band: 0, gain: 0.2 }] });
    await player.resume();
    await player.setFilters({});
    clock.advance(1_000);
    assert.equal(player.position(), 64_000);
  });

  it('maps exceptions, stuck tracks and closed voice connections to PlayerEvents', async () => {
    const exception = nextEvent(player, 'exception');
    a.failTrack(harness.guildId, { kind: 'exception', message: 'Decoder crashed' });
    const event = await exception;
    assert.equal(event.type === 'exception' && event.message, 'Decoder crashed');
    const track = await harness.track(CatalogueIdentifiers.nightDrive);
    await player.play(track);
    const stuck = nextEvent(player, 'stuck');
    a.failTrack(harness.guildId, { kind: 'stuck' });
    assert.deepEqual(await stuck, { type: 'stuck', encoded: track.encoded, thresholdMs: 10_000 });
    const closed = nextEvent(player, 'closed');
    a.closeVoice(harness.guildId, { code: 4006 });
    const close = await closed;
    assert.deepEqual([close.type, close.type === 'closed' && close.code], ['closed', 4006]);
  });

  it('reports every node gauge with its attributes', async () => {
    const up = await telemetry.points('metronome.lavalink.node.up');
    assert.deepEqual(up.map((p) => [p.attributes['lavalink.node'], p.value]).sort(), [
      ['a', 1],
      ['b', 1],
    ]);
    const players = await telemetry.points('metronome.lavalink.node.players');
    assert.deepEqual(
      players
        .filter((p) => p.attributes['lavalink.node'] === 'a')
        .map((p) => p.attributes.state)
        .sort(),
      ['playing', 'total'],
    );
    const cpu = await telemetry.points('metronome.lavalink.node.cpu.load');
    const systemA = cpu.find((p) => p.attributes['lavalink.node'] === 'a' && p.attributes.scope === 'system');
    assert.equal(systemA?.value, 0.1);
    assert.ok(cpu.some((p) => p.attributes.scope === 'lavalink'));
    const memory = await telemetry.points('metronome.lavalink.node.memory.used');
    assert.equal(memory[0]?.unit, 'By');
    assert.ok(memory.every((p) => typeof p.value === 'number' && p.value > 0));
    const frames = await telemetry.points('metronome.lavalink.node.frames');
    assert.deepEqual(
      frames
        .filter((p) => p.attributes['lavalink.node'] === 'b')
        .map((p) => p.attributes.kind)
        .sort(),
      ['deficit', 'nulled', 'sent'],
    );
  });

  it('is ready with a node connected, and /healthz lists nodes with status, players and cpu', async () => {
    assert.deepEqual(await harness.gateway.readinessCheck().check(AbortSignal.timeout(1000)), {
      ok: true,
      detail: '2/2 node(s) connected',
    });
    const details = harness.gateway.details().lavalink as {
      enabled: boolean;
      players: number;
      nodes: { name: string; status: string; bot_players: number; players: number; cpu_system: number }[];
    };
    assert.equal(details.enabled, true);
    assert.equal(details.players, 1);
    assert.deepEqual(
      details.nodes.map((n) => [n.name, n.status, n.bot_players, n.cpu_system]),
      [
        ['a', 'connected', 1, 0.1],
        ['b', 'connected', 0, 0.8],
      ],
    );
  });

  it('GIVEN the bot was disconnected from voice THEN a late VOICE_SERVER_UPDATE sends Lavalink nothing and rejects nothing', async () => {
    const connection = harness.gateway.shoukaku?.connections.get(harness.guildId);
    assert.ok(connection);
    harness.discord.moveMember(harness.guildId, harness.client.user!.id, null);
    await until(() => connection.channelId === null, 'shoukaku to see the bot leave');
    const requestsBefore = a.requests.length;
    harness.discord.dispatch(
      'VOICE_SERVER_UPDATE',
      { guild_id: harness.guildId, token: 'late-token', endpoint: 'voice.sandbox.invalid:443' },
      { guildId: harness.guildId },
    );
    await until(() => harness.logs.some((l) => l.msg === 'skipped an incomplete voice update'), 'the skip');
    await sleep(50);
    assert.deepEqual(
      a.requests.slice(requestsBefore).filter((r) => r.method === 'PATCH'),
      [],
      'no voice state without channelId',
    );
    assert.ok(!a.requests.some((r) => r.status === 400), 'Lavalink never answered 400');
    assert.deepEqual(rejections, []);
  });

  it('destroys a player: it leaves voice, Lavalink forgets it, and a second destroy is harmless', async () => {
    await player.destroy();
    await player.destroy();
    assert.equal(harness.gateway.player(harness.guildId), undefined);
    assert.equal(a.player(harness.guildId), undefined);
    assert.equal(harness.gateway.shoukaku?.connections.has(harness.guildId), false);
    await assert.rejects(player.pause(), LavalinkUnavailableError);
    // And the guild can join again.
    harness.discord.moveMember(harness.guildId, harness.client.user!.id, null);
    player = await harness.join();
    assert.equal(player.node, 'a');
    await player.destroy();
  });

  it('GIVEN a destroy whose DELETE answers slowly WHEN the guild joins again meanwhile THEN the new player keeps its events', async () => {
    const { guildId } = harness;
    const shoukaku = harness.gateway.shoukaku!;
    player = await harness.join();
    const rest = shoukaku.nodes.get('a')!.rest;
    const destroyPlayer = rest.destroyPlayer.bind(rest);
    const answered = Promise.withResolvers<void>();
    // Lavalink acts on the DELETE at once; only its answer is late.
    rest.destroyPlayer = async (id) => {
      await destroyPlayer(id);
      await answered.promise;
    };
    try {
      const destroying = player.destroy();
      await until(() => a.player(guildId) === undefined, 'the DELETE reached Lavalink');
      harness.discord.moveMember(guildId, harness.client.user!.id, null);
      player = await harness.join();
      answered.resolve();
      await destroying;
    } finally {
      rest.destroyPlayer = destroyPlayer;
    }

    assert.ok(shoukaku.players.has(guildId), 'shoukaku still routes the new player’s events');
    const started = nextEvent(player, 'start');
    const track = await harness.track(CatalogueIdentifiers.shortTrack);
    await player.play(track);
    assert.deepEqual(await started, { type: 'start', encoded: track.encoded });
    await player.destroy();
  });

  it('never logs the Lavalink password', () => {
    assert.ok(harness.logs.length > 0);
    assert.doesNotMatch(harness.logText(), new RegExp(a.password));
  });
});

describe('ShoukakuGateway when its only node dies during a join', () => {
  it('GIVEN the node dies during the Discord voice handshake THEN the join fails as no_node, an outage, and leaves voice', async () => {
    const node = await SandboxLavalink.start({ name: 'only', statsIntervalMs: 50 });
    await using harness = await GatewayHarness.start([node]);
    try {
      // The usable check has passed; the node goes before Discord answers the voice state update.
      const joining = harness.join();
      node.kill({ forgetSessions: true });
      const error = await joining.then(
        () => assert.fail('the join succeeded without a node'),
        (rejected: unknown) => rejected,
      );
      assert.ok(error instanceof LavalinkUnavailableError, String(error));
      assert.equal(error.reason, 'no_node');
      assert.equal(isLavalinkOutage(error), true);
      assert.equal(harness.gateway.player(harness.guildId), undefined);
      assert.equal(harness.gateway.shoukaku?.connections.has(harness.guildId), false, 'no voice connection left');
    } finally {
      await node.close();
    }
  });
});

describe('ShoukakuGateway without nodes', () => {
  it('is disabled: ready, and every call says music is not set up', async () => {
    const gateway = new ShoukakuGateway({
      client: {} as never,
      nodes: [],
      password: undefined,
      instruments: new LavalinkInstruments(globalInstruments()),
      logger: (await import('pino')).default({ level: 'silent' }),
    });
    assert.equal(gateway.enabled, false);
    await assert.rejects(gateway.load(await query('road')), { name: 'LavalinkUnavailableError', reason: 'disabled' });
    await assert.rejects(gateway.join({ guildId: '1', voiceChannelId: '2', shardId: 0 }), { reason: 'disabled' });
    assert.equal(gateway.player('1'), undefined);
    assert.deepEqual(await gateway.readinessCheck().check(AbortSignal.timeout(100)), {
      ok: true,
      detail: 'no nodes configured',
    });
    assert.deepEqual(gateway.details(), { lavalink: { enabled: false, players: 0, nodes: [] } });
    await gateway.close();
  });

  it('refuses nodes without a password, naming the variable', () => {
    assert.throws(
      () =>
        new ShoukakuGateway({
          client: {} as never,
          nodes: [{ name: 'a', url: 'localhost:2333', secure: false, region: null }],
          password: new Secret(''),
          instruments: new LavalinkInstruments(globalInstruments()),
          logger: {} as never,
        }),
      { name: 'ConfigError', key: 'lavalink.password', source: 'LAVALINK_PASSWORD' },
    );
  });
});

describe('ShoukakuGateway when Discord answers a voice join with VOICE_SERVER_UPDATE first', () => {
  it('GIVEN the server update comes before the state update THEN the join waits for the session id and plays', async () => {
    const node = await SandboxLavalink.start({ name: 'only', statsIntervalMs: 50 });
    try {
      await using harness = await GatewayHarness.start([node], {}, { voiceEventOrder: 'server_first' });
      const from = harness.discord.gatewayEvents.length;
      const player = await harness.join();
      const answer = harness.discord.gatewayEvents
        .slice(from)
        .filter((e) => e.t === 'VOICE_STATE_UPDATE' || e.t === 'VOICE_SERVER_UPDATE');
      assert.deepEqual(
        answer.map((e) => e.t),
        ['VOICE_SERVER_UPDATE', 'VOICE_STATE_UPDATE'],
        'the sandbox answered server first',
      );
      assert.deepEqual(node.player(harness.guildId)?.voice, {
        token: (answer[0]!.d as { token: string }).token,
        endpoint: 'voice.sandbox.invalid:443',
        sessionId: harness.discord.sessions.get(0)?.sessionId,
        channelId: harness.voiceChannelId,
      });
      const started = nextEvent(player, 'start');
      const track = await harness.track(CatalogueIdentifiers.shortTrack);
      await player.play(track);
      assert.deepEqual(await started, { type: 'start', encoded: track.encoded });
      await player.destroy();
    } finally {
      await node.close();
    }
  });
});
