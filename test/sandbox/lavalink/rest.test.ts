import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CatalogueIdentifiers,
  type LavalinkErrorBody,
  type LavalinkLoadResult,
  type LavalinkPlayerJson,
  type LavalinkTrack,
  SandboxLavalink,
} from '../../../src/sandbox/lavalink/index.js';
import { lavalinkFetch } from './lavalinkFetch.js';
import { RawLavalinkSocket } from './RawLavalinkSocket.js';

const GUILD = '900000000000000001';
const VOICE = { token: 'voice-token', endpoint: 'voice.sandbox.invalid:443', sessionId: 'discord-voice-session' };

describe('sandbox Lavalink REST API', () => {
  let node: SandboxLavalink;
  let socket: RawLavalinkSocket;
  let players: string;

  before(async () => {
    node = await SandboxLavalink.start({ password: 'rest-secret' });
    socket = await RawLavalinkSocket.connect(node);
    await socket.next((m) => m.op === 'ready');
    players = `/v4/sessions/${socket.sessionId}/players`;
  });
  after(async () => {
    await socket.close();
    await node.close();
  });

  it('answers 401 with Lavalink error JSON without the password, on every route', async () => {
    for (const path of ['/v4/info', '/v4/loadtracks?identifier=x', '/version', '/v4/nowhere']) {
      for (const password of [null, 'wrong']) {
        const answer = await lavalinkFetch<LavalinkErrorBody>(node, path, { password });
        assert.equal(answer.status, 401, `${path} with ${password}`);
        assert.deepEqual(Object.keys(answer.body), ['timestamp', 'status', 'error', 'message', 'path']);
        assert.equal(answer.body.error, 'Unauthorized');
        assert.equal(answer.body.path, path.split('?')[0]);
      }
    }
  });

  it('adds the stack trace to error bodies only with ?trace=true', async () => {
    const answer = await lavalinkFetch<LavalinkErrorBody>(node, '/v4/sessions/nope/players?trace=true');
    assert.equal(answer.status, 404);
    assert.equal(answer.body.message, 'Session not found');
    assert.equal(typeof answer.body.trace, 'string');
  });

  it('reports version, info and stats like Lavalink 4.2', async () => {
    const version = await lavalinkFetch<string>(node, '/version');
    assert.equal(version.body, '4.2.2');
    assert.equal(version.headers.get('lavalink-api-version'), '4');
    const info = await lavalinkFetch<{
      version: { major: number; minor: number };
      sourceManagers: string[];
      filters: string[];
    }>(node, '/v4/info');
    assert.equal(info.body.version.major, 4);
    assert.equal(info.body.version.minor, 2);
    assert.deepEqual(info.body.sourceManagers, ['youtube', 'soundcloud', 'http']);
    assert.ok(info.body.filters.includes('timescale'));
    const stats = await lavalinkFetch<Record<string, unknown>>(node, '/v4/stats');
    assert.equal(stats.status, 200);
    assert.equal('frameStats' in stats.body, false);
    assert.deepEqual(Object.keys(stats.body), ['players', 'playingPlayers', 'uptime', 'memory', 'cpu']);
  });

  it('loads tracks, playlists, searches, empty and error results', async () => {
    const load = async (identifier: string) =>
      (await lavalinkFetch<LavalinkLoadResult>(node, `/v4/loadtracks?identifier=${encodeURIComponent(identifier)}`))
        .body.loadType;
    assert.equal(await load(CatalogueIdentifiers.nightDrive), 'track');
    assert.equal(await load(CatalogueIdentifiers.playlist), 'playlist');
    assert.equal(await load('scsearch:rain'), 'search');
    assert.equal(await load(CatalogueIdentifiers.missingTrack), 'empty');
    assert.equal(await load(CatalogueIdentifiers.brokenTrack), 'error');
    const missing = await lavalinkFetch<LavalinkErrorBody>(node, '/v4/loadtracks');
    assert.equal(missing.status, 400);
  });

  it('decodes tracks with encodedTrack, with the legacy track parameter, and in bulk', async () => {
    const tracks = node.catalogue.tracks.slice(0, 3);
    const first = tracks[0]!;
    for (const parameter of ['encodedTrack', 'track']) {
      const answer = await lavalinkFetch<LavalinkTrack>(
        node,
        `/v4/decodetrack?${parameter}=${encodeURIComponent(first.encoded)}`,
      );
      assert.deepEqual(answer.body, first);
    }
    const bulk = await lavalinkFetch<LavalinkTrack[]>(node, '/v4/decodetracks', {
      method: 'POST',
      body: tracks.map((t) => t.encoded),
    });
    assert.deepEqual(bulk.body, tracks);
    const bad = await lavalinkFetch<LavalinkErrorBody>(node, '/v4/decodetrack?encodedTrack=bm90LWEtdHJhY2s=');
    assert.equal(bad.status, 400);
  });

  it('GIVEN a voice state without channelId THEN answers 400 like Lavalink 4.2 (DAVE)', async () => {
    const answer = await lavalinkFetch<LavalinkErrorBody>(node, `${players}/${GUILD}`, {
      method: 'PATCH',
      body: { voice: VOICE },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'Bad Request');
    assert.match(answer.body.message, /channelId/);
    const nullChannel = await lavalinkFetch(node, `${players}/${GUILD}`, {
      method: 'PATCH',
      body: { voice: { ...VOICE, channelId: null } },
    });
    assert.equal(nullChannel.status, 400);
    assert.equal(node.player(GUILD), undefined, 'a rejected update creates no player');
  });

  it('rejects partial voice states and invalid updates without touching the player', async () => {
    const patch = (body: unknown) => lavalinkFetch(node, `${players}/${GUILD}`, { method: 'PATCH', body });
    const encoded = node.catalogue.tracks[0]!.encoded;
    for (const body of [
      { voice: { ...VOICE, token: '', channelId: '1' } },
      { track: { encoded }, encodedTrack: encoded },
      { track: { encoded, identifier: 'x' } },
      { endTime: 0 },
      { volume: 1001 },
      { filters: { reverb: {} } },
      { track: { identifier: CatalogueIdentifiers.playlist } },
      { track: { identifier: CatalogueIdentifiers.missingTrack } },
      { track: { encoded: 'garbage' } },
    ]) {
      assert.equal((await patch(body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await patch({ track: { identifier: CatalogueIdentifiers.brokenTrack } })).status, 500);
    assert.equal(node.player(GUILD), undefined);
  });

  it('creates, reads, lists and destroys a player', async () => {
    const created = await lavalinkFetch<LavalinkPlayerJson>(node, `${players}/${GUILD}`, {
      method: 'PATCH',
      body: { voice: { ...VOICE, channelId: '900000000000000002' }, volume: 80 },
    });
    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.body), ['guildId', 'track', 'volume', 'paused', 'state', 'voice', 'filters']);
    assert.equal(created.body.volume, 80);
    assert.equal(created.body.state.connected, true);
    assert.equal(created.body.voice.channelId, '900000000000000002');
    const listed = await lavalinkFetch<LavalinkPlayerJson[]>(node, players);
    assert.deepEqual(
      listed.body.map((p) => p.guildId),
      [GUILD],
    );
    assert.equal((await lavalinkFetch(node, `${players}/${GUILD}`, { method: 'DELETE' })).status, 204);
    assert.equal((await lavalinkFetch(node, `${players}/${GUILD}`)).status, 404);
    assert.equal((await lavalinkFetch(node, `${players}/not-a-guild`)).status, 400);
  });

  it('updates the session resume settings', async () => {
    const answer = await lavalinkFetch(node, `/v4/sessions/${socket.sessionId}`, {
      method: 'PATCH',
      body: { resuming: true, timeout: 30 },
    });
    assert.deepEqual(answer.body, { resuming: true, timeout: 30 });
    assert.equal(node.sessions[0]?.resuming, true);
    assert.equal((await lavalinkFetch(node, '/v4/sessions/unknown', { method: 'PATCH', body: {} })).status, 404);
  });

  it('logs every request with its status and body', async () => {
    await lavalinkFetch(node, `${players}/${GUILD}`, { method: 'PATCH', body: { volume: 50 } });
    const entry = node.requests.at(-1)!;
    assert.equal(entry.method, 'PATCH');
    assert.equal(entry.route, '/v4/sessions/:sessionId/players/:guildId');
    assert.equal(entry.status, 200);
    assert.deepEqual(entry.body, { volume: 50 });
  });

  it('adds latency to every call with slow(), and to loads with loadLatencyMs', async () => {
    node.slow(150);
    const started = Date.now();
    await lavalinkFetch(node, '/version');
    assert.ok(Date.now() - started >= 140, `${Date.now() - started} ms`);
    node.slow(0);
    await using slowLoads = await SandboxLavalink.start({ loadLatencyMs: 120 });
    const loadStarted = Date.now();
    await lavalinkFetch(slowLoads, `/v4/loadtracks?identifier=${CatalogueIdentifiers.missingTrack}`);
    assert.ok(Date.now() - loadStarted >= 110);
    const infoStarted = Date.now();
    await lavalinkFetch(slowLoads, '/v4/info');
    assert.ok(Date.now() - infoStarted < 100);
  });
});
