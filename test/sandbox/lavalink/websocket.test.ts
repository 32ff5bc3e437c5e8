import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  CatalogueIdentifiers,
  type PlayerUpdateMessage,
  type ReadyMessage,
  SandboxLavalink,
  type StatsMessage,
} from '../../../src/sandbox/lavalink/index.js';
import { FakeClock } from './FakeClock.js';
import { lavalinkFetch } from './lavalinkFetch.js';
import { RawLavalinkSocket } from './RawLavalinkSocket.js';
import { until } from './until.js';

const GUILD = '900000000000000001';
const VOICE = { token: 't', endpoint: 'voice.sandbox.invalid:443', sessionId: 'v', channelId: '900000000000000002' };
const isReady = (m: { op: string }): m is ReadyMessage => m.op === 'ready';
const isStats = (m: { op: string }): m is StatsMessage => m.op === 'stats';

describe('sandbox Lavalink websocket', () => {
  const nodes: SandboxLavalink[] = [];
  const start = async (options: Parameters<typeof SandboxLavalink.start>[0] = {}) => {
    const node = await SandboxLavalink.start(options);
    nodes.push(node);
    return node;
  };
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
  });

  async function playShortTrack(node: SandboxLavalink, sessionId: string): Promise<void> {
    const answer = await lavalinkFetch(node, `/v4/sessions/${sessionId}/players/${GUILD}`, {
      method: 'PATCH',
      body: { voice: VOICE, track: { identifier: CatalogueIdentifiers.shortTrack } },
    });
    assert.equal(answer.status, 200);
  }

  it('sends ready with a 16-character session id, then stats without frame stats while there are no players', async () => {
    const node = await start();
    const socket = await RawLavalinkSocket.connect(node);
    const ready = await socket.next(isReady);
    assert.equal(ready.resumed, false);
    assert.match(ready.sessionId, /^[a-z0-9]{16}$/);
    assert.equal(socket.upgradeHeaders['session-resumed'], 'false');
    assert.equal(socket.upgradeHeaders['lavalink-api-version'], '4');
    const stats = await socket.next(isStats);
    assert.equal(stats.frameStats, null);
    assert.deepEqual(Object.keys(stats.memory), ['free', 'used', 'allocated', 'reservable']);
    assert.deepEqual(Object.keys(stats.cpu), ['cores', 'systemLoad', 'lavalinkLoad']);
    assert.equal(node.sessions[0]?.clientName, 'raw-test/1.0.0');
    await socket.close();
  });

  it('refuses a wrong password with 401 and a missing User-Id with 400', async () => {
    const node = await start();
    await assert.rejects(RawLavalinkSocket.connect(node, { password: 'nope' }), /HTTP 401/);
    await assert.rejects(RawLavalinkSocket.connect(node, { userId: null }), /HTTP 400/);
    assert.deepEqual(
      node.connections.map((c) => [c.kind, c.status]),
      [
        ['rejected', 401],
        ['rejected', 400],
      ],
    );
    assert.equal(node.sessions.length, 0);
  });

  it('sends stats and player updates on their intervals, with frame stats once a player plays', async () => {
    const node = await start({ statsIntervalMs: 40, playerUpdateIntervalMs: 30, load: { nulledFrames: 12 } });
    const socket = await RawLavalinkSocket.connect(node);
    await playShortTrack(node, (await socket.next(isReady)).sessionId);
    const update = await socket.next(
      (m): m is PlayerUpdateMessage => m.op === 'playerUpdate' && m.state.position > 0,
      'a player update with progress',
    );
    assert.equal(update.guildId, GUILD);
    assert.equal(update.state.connected, true);
    assert.equal(update.state.ping, 20);
    const stats = await socket.next((m): m is StatsMessage => isStats(m) && m.players === 1, 'stats with a player');
    assert.equal(stats.playingPlayers, 1);
    assert.deepEqual(stats.frameStats, { sent: 2988, nulled: 12, deficit: 0 });
    await socket.close();
  });

  it('GIVEN resuming enabled WHEN the socket drops THEN a client resumes the same session and gets the missed events', async () => {
    const clock = new FakeClock();
    const node = await start({ now: clock.now });
    const first = await RawLavalinkSocket.connect(node);
    const sessionId = (await first.next(isReady)).sessionId;
    await lavalinkFetch(node, `/v4/sessions/${sessionId}`, { method: 'PATCH', body: { resuming: true, timeout: 60 } });
    await playShortTrack(node, sessionId);
    node.kill();
    await until(() => first.closed, 'the drop');
    await until(() => node.sessions[0]?.state === 'paused', 'a paused session');
    clock.advance(6000);
    node.tick();
    assert.deepEqual(
      node.messages.filter((m) => m.delivery === 'queued').map((m) => m.message.op === 'event' && m.message.type),
      ['TrackEndEvent'],
    );
    await assert.rejects(RawLavalinkSocket.connect(node, { sessionId }), 'a dead node refuses connections');
    node.revive();
    const second = await RawLavalinkSocket.connect(node, { sessionId });
    assert.equal(second.upgradeHeaders['session-resumed'], 'true');
    const ready = await second.next(isReady);
    assert.deepEqual(ready, { op: 'ready', resumed: true, sessionId });
    assert.deepEqual(
      second.messages.map((m) => (m.op === 'event' ? m.type : m.op)),
      ['TrackEndEvent', 'playerUpdate', 'ready'],
      'replayed events, then a player update per player, then ready',
    );
    assert.equal(node.sessions[0]?.resumes, 1);
    assert.deepEqual(node.sessions[0]?.players, [GUILD]);
    await second.close();
  });

  it('GIVEN the resume timeout passed THEN the session is gone and the client gets a new one', async () => {
    const clock = new FakeClock();
    const node = await start({ now: clock.now });
    const first = await RawLavalinkSocket.connect(node);
    const sessionId = (await first.next(isReady)).sessionId;
    await lavalinkFetch(node, `/v4/sessions/${sessionId}`, { method: 'PATCH', body: { resuming: true, timeout: 10 } });
    await playShortTrack(node, sessionId);
    await first.close();
    await until(() => node.sessions[0]?.state === 'paused', 'a paused session');
    clock.advance(10_000);
    node.tick();
    assert.equal(node.sessions.length, 0);
    assert.equal(node.players().length, 0);
    const second = await RawLavalinkSocket.connect(node, { sessionId });
    const ready = await second.next(isReady);
    assert.equal(ready.resumed, false);
    assert.notEqual(ready.sessionId, sessionId);
    assert.equal(second.upgradeHeaders['session-resumed'], 'false');
    await second.close();
  });

  it('GIVEN resuming disabled WHEN the socket closes THEN the session and its players end at once', async () => {
    const node = await start();
    const socket = await RawLavalinkSocket.connect(node);
    const sessionId = (await socket.next(isReady)).sessionId;
    await playShortTrack(node, sessionId);
    await socket.close();
    await until(() => node.sessions.length === 0, 'the session to end');
    assert.equal((await lavalinkFetch(node, `/v4/sessions/${sessionId}/players`)).status, 404);
  });

  it('answers 404 to REST calls for a session waiting to be resumed', async () => {
    const node = await start();
    const socket = await RawLavalinkSocket.connect(node);
    const sessionId = (await socket.next(isReady)).sessionId;
    await lavalinkFetch(node, `/v4/sessions/${sessionId}`, { method: 'PATCH', body: { resuming: true } });
    await socket.close();
    await until(() => node.sessions[0]?.state === 'paused', 'a paused session');
    assert.equal((await lavalinkFetch(node, `/v4/sessions/${sessionId}/players`)).status, 404);
  });

  it('forgets every session when killed with forgetSessions, like a crashed node', async () => {
    const node = await start();
    const socket = await RawLavalinkSocket.connect(node);
    const sessionId = (await socket.next(isReady)).sessionId;
    await lavalinkFetch(node, `/v4/sessions/${sessionId}`, { method: 'PATCH', body: { resuming: true } });
    node.kill({ forgetSessions: true });
    await until(() => socket.closed, 'the drop');
    assert.equal(node.sessions.length, 0);
    node.revive();
    const again = await RawLavalinkSocket.connect(node, { sessionId });
    assert.equal((await again.next(isReady)).resumed, false);
    await again.close();
  });
});
