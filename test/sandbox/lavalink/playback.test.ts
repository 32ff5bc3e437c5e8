import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  CatalogueIdentifiers,
  type LavalinkPlayerJson,
  type PlayerEventMessage,
  type ReadyMessage,
  SandboxLavalink,
} from '../../../src/sandbox/lavalink/index.js';
import { FakeClock } from './FakeClock.js';
import { lavalinkFetch } from './lavalinkFetch.js';
import { RawLavalinkSocket } from './RawLavalinkSocket.js';
import { until } from './until.js';

const GUILD = '900000000000000001';
const VOICE = { token: 't', endpoint: 'voice.sandbox.invalid:443', sessionId: 'v', channelId: '900000000000000002' };

describe('sandbox Lavalink playback on a fake clock', () => {
  let clock: FakeClock;
  let node: SandboxLavalink;
  let socket: RawLavalinkSocket;
  let path: string;

  const patch = async (body: unknown, query = ''): Promise<LavalinkPlayerJson> => {
    const answer = await lavalinkFetch<LavalinkPlayerJson>(node, `${path}${query}`, { method: 'PATCH', body });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const get = async () => (await lavalinkFetch<LavalinkPlayerJson>(node, path)).body;
  const play = (identifier: string, extra: Record<string, unknown> = {}) =>
    patch({ voice: VOICE, track: { identifier }, ...extra });
  const events = () => socket.events(GUILD);
  const advance = (ms: number) => {
    clock.advance(ms);
    node.tick();
  };
  const lastEvent = async (what: string): Promise<PlayerEventMessage> => {
    await until(() => events().includes(what), what);
    return socket.messages.filter((m): m is PlayerEventMessage => m.op === 'event').at(-1)!;
  };

  beforeEach(async () => {
    clock = new FakeClock();
    node = await SandboxLavalink.start({ now: clock.now, cleanupThresholdMs: 30_000 });
    socket = await RawLavalinkSocket.connect(node);
    const ready = await socket.next((m): m is ReadyMessage => m.op === 'ready');
    path = `/v4/sessions/${ready.sessionId}/players/${GUILD}`;
  });
  afterEach(async () => {
    await socket.close();
    await node.close();
  });

  it('advances the position with the clock and ends the track with finished', async () => {
    const started = await play(CatalogueIdentifiers.shortTrack);
    assert.equal(started.track?.info.title, 'Short Test Tone');
    assert.equal(started.state.position, 0);
    await lastEvent('TrackStartEvent');
    advance(2000);
    assert.equal((await get()).state.position, 2000);
    assert.equal(node.player(GUILD)?.position, 2000);
    advance(3000);
    const end = await lastEvent('TrackEndEvent:finished');
    assert.equal(end.type === 'TrackEndEvent' && end.track.info.position, 5000);
    assert.equal((await get()).track, null);
    assert.deepEqual(events(), ['TrackStartEvent', 'TrackEndEvent:finished']);
  });

  it('freezes the position while paused and moves it on seek', async () => {
    await play(CatalogueIdentifiers.nightDrive);
    advance(10_000);
    await patch({ paused: true });
    advance(60_000);
    const paused = await get();
    assert.equal(paused.paused, true);
    assert.equal(paused.state.position, 10_000);
    await patch({ paused: false, position: 100_000 });
    advance(1000);
    assert.equal((await get()).state.position, 101_000);
  });

  it('starts at the requested position, stops at endTime, and plays faster with a timescale filter', async () => {
    await play(CatalogueIdentifiers.nightDrive, { position: 30_000, endTime: 40_000 });
    advance(5000);
    await patch({ filters: { timescale: { speed: 2, pitch: 1, rate: 1 } } });
    advance(2000);
    assert.equal((await get()).state.position, 39_000);
    assert.deepEqual((await get()).filters, { timescale: { speed: 2, pitch: 1, rate: 1 } });
    advance(500);
    await lastEvent('TrackEndEvent:finished');
  });

  it('replaces filters instead of merging them, and stores volume and user data', async () => {
    await play(CatalogueIdentifiers.nightDrive, {
      track: { identifier: CatalogueIdentifiers.nightDrive, userData: { requester: 'bob' } },
    });
    await patch({ filters: { equalizer: [{ band: 0, gain: 0.2 }], karaoke: { level: 1 } }, volume: 150 });
    const player = await patch({ filters: { timescale: { speed: 1.2 }, karaoke: null } });
    assert.deepEqual(player.filters, { timescale: { speed: 1.2 } });
    assert.equal(player.volume, 150);
    assert.deepEqual(player.track?.userData, { requester: 'bob' });
  });

  it('ends the previous track with replaced, or keeps it with noReplace', async () => {
    await play(CatalogueIdentifiers.nightDrive);
    const kept = await patch({ track: { identifier: CatalogueIdentifiers.shortTrack } }, '?noReplace=true');
    assert.equal(kept.track?.info.title, 'Night Drive');
    const replaced = await patch({ track: { identifier: CatalogueIdentifiers.shortTrack } });
    assert.equal(replaced.track?.info.title, 'Short Test Tone');
    await until(() => events().length === 3, 'three events');
    assert.deepEqual(events(), ['TrackStartEvent', 'TrackEndEvent:replaced', 'TrackStartEvent']);
  });

  it('ends the track with stopped when told to play null, and when the player is destroyed', async () => {
    await play(CatalogueIdentifiers.nightDrive);
    const stopped = await patch({ track: { encoded: null } });
    assert.equal(stopped.track, null);
    await play(CatalogueIdentifiers.nightDrive);
    assert.equal((await lavalinkFetch(node, path, { method: 'DELETE' })).status, 204);
    await until(() => events().length === 4, 'four events');
    assert.deepEqual(events(), [
      'TrackStartEvent',
      'TrackEndEvent:stopped',
      'TrackStartEvent',
      'TrackEndEvent:stopped',
    ]);
  });

  it('GIVEN a file that fails on play THEN sends TrackStart, TrackException and TrackEnd loadFailed', async () => {
    await play(CatalogueIdentifiers.failsOnPlay);
    node.tick();
    await lastEvent('TrackEndEvent:loadFailed');
    const exception = socket.messages.find((m) => m.op === 'event' && m.type === 'TrackExceptionEvent');
    assert.deepEqual(events(), ['TrackStartEvent', 'TrackExceptionEvent', 'TrackEndEvent:loadFailed']);
    assert.equal(
      exception?.op === 'event' && exception.type === 'TrackExceptionEvent' && exception.exception.severity,
      'fault',
    );
  });

  it('fails the playing track on demand: an exception ends it, a stuck track freezes until a seek', async () => {
    await play(CatalogueIdentifiers.nightDrive);
    advance(1000);
    node.failTrack(GUILD, { kind: 'stuck', thresholdMs: 5000 });
    const stuck = await lastEvent('TrackStuckEvent');
    assert.equal(stuck.type === 'TrackStuckEvent' && stuck.thresholdMs, 5000);
    advance(10_000);
    assert.equal(node.player(GUILD)?.stuck, true);
    assert.equal((await get()).state.position, 1000);
    await patch({ position: 2000 });
    advance(500);
    assert.equal((await get()).state.position, 2500);
    node.failTrack(GUILD, { kind: 'exception', message: 'Connection reset' });
    const end = await lastEvent('TrackEndEvent:finished');
    const exception = socket.messages.find((m) => m.op === 'event' && m.type === 'TrackExceptionEvent');
    assert.equal(
      exception?.op === 'event' && exception.type === 'TrackExceptionEvent' && exception.exception.message,
      'Connection reset',
    );
    assert.equal(end.type === 'TrackEndEvent' && end.track.info.position, 2500);
    assert.throws(() => node.failTrack(GUILD, { kind: 'exception' }), /no track/);
  });

  it('GIVEN Discord closes the voice connection THEN sends WebSocketClosedEvent, stalls, and cleans the track up', async () => {
    await play(CatalogueIdentifiers.nightDrive);
    advance(1000);
    node.closeVoice(GUILD, { code: 4014, reason: 'Disconnected.' });
    const closed = await lastEvent('WebSocketClosedEvent');
    assert.deepEqual(closed.type === 'WebSocketClosedEvent' && [closed.code, closed.reason, closed.byRemote], [
      4014,
      'Disconnected.',
      true,
    ]);
    const state = (await get()).state;
    assert.deepEqual([state.connected, state.ping, state.position], [false, -1, 1000]);
    advance(29_000);
    assert.equal((await get()).track?.info.title, 'Night Drive');
    advance(1000);
    await lastEvent('TrackEndEvent:cleanup');
  });

  it('does not advance a track before the player has a voice connection', async () => {
    await patch({ track: { identifier: CatalogueIdentifiers.nightDrive } });
    advance(5000);
    const player = await get();
    assert.deepEqual([player.state.connected, player.state.position], [false, 0]);
    await patch({ voice: VOICE });
    advance(5000);
    assert.equal((await get()).state.position, 5000);
  });

  it('plays a stream without ever finishing it and ignores seeks on it', async () => {
    await play(CatalogueIdentifiers.liveStream);
    advance(24 * 60 * 60 * 1000);
    await patch({ position: 0 });
    const player = await get();
    assert.equal(player.track?.info.isStream, true);
    assert.equal(player.state.position, 24 * 60 * 60 * 1000);
    assert.deepEqual(events(), ['TrackStartEvent']);
  });

  it('counts players and playing players in stats', async () => {
    const stats = async () => {
      const { body } = await lavalinkFetch<{ players: number; playingPlayers: number }>(node, '/v4/stats');
      return [body.players, body.playingPlayers];
    };
    await play(CatalogueIdentifiers.nightDrive);
    assert.deepEqual(await stats(), [1, 1]);
    await patch({ paused: true });
    assert.deepEqual(await stats(), [1, 0]);
  });
});
