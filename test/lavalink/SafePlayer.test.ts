import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection, Node, Player, UpdatePlayerInfo } from 'shoukaku';
import { type PlayerGuard, safePlayerClass, type VoiceUpdateProblem } from '../../src/lavalink/SafePlayer.js';
import { VoiceStateError } from '../../src/lavalink/voiceState.js';

/** A node whose REST `updatePlayer` records its calls and fails while `failing` is set. */
function fakeNode(name: string) {
  const sent: UpdatePlayerInfo[] = [];
  const node = {
    name,
    failing: false,
    rest: {
      updatePlayer: async (data: UpdatePlayerInfo) => {
        if (node.failing) throw new Error('connection refused');
        sent.push(data);
      },
    },
  };
  return { node, sent };
}

function connection(channelId: string | null): Connection {
  return {
    channelId,
    sessionId: 'voice-session',
    serverUpdate: { token: 'token', endpoint: 'voice.example:443', guild_id: '1' },
  } as Connection;
}

function setUp() {
  const sources = new WeakMap<object, Node>();
  const stale: [string, string][] = [];
  const problems: VoiceUpdateProblem[] = [];
  const guard: PlayerGuard = {
    sourceOf: (message) => sources.get(message),
    staleMessage: (player, source) => stale.push([player.guildId, source.name]),
    voiceUpdateProblem: (_player, problem) => problems.push(problem),
  };
  const SafePlayer = safePlayerClass(guard);
  const a = fakeNode('a');
  const player = new SafePlayer('1', a.node) as Player;
  return { sources, stale, problems, player, a };
}

describe('SafePlayer', () => {
  it('GIVEN the join THEN an incomplete voice state fails it, and a complete one is sent with its channelId', async () => {
    const { player, a } = setUp();
    await assert.rejects(player.sendServerUpdate(connection(null)), VoiceStateError);
    await player.sendServerUpdate(connection('42'));
    assert.deepEqual(a.sent, [
      {
        guildId: '1',
        playerOptions: {
          voice: { token: 'token', endpoint: 'voice.example:443', sessionId: 'voice-session', channelId: '42' },
        },
      },
    ]);
  });

  it('GIVEN a later VOICE_SERVER_UPDATE after leaving voice THEN nothing is sent and nothing rejects', async () => {
    const { player, a, problems } = setUp();
    await player.sendServerUpdate(connection('42'));
    await player.sendServerUpdate(connection(null));
    assert.equal(a.sent.length, 1);
    assert.deepEqual(problems, [{ kind: 'incomplete', missing: 'channelId' }]);
  });

  it('GIVEN a later voice update fails THEN it is reported, not rejected', async () => {
    const { player, a, problems } = setUp();
    await player.sendServerUpdate(connection('42'));
    a.node.failing = true;
    await player.sendServerUpdate(connection('42'));
    assert.equal(problems[0]?.kind, 'failed');
  });

  it('drops messages from a node that no longer serves the guild, and passes its own node and unknown sources', () => {
    const { player, sources, stale, a } = setUp();
    const updates: number[] = [];
    player.on('update', (update) => updates.push(update.state.position));
    const message = (position: number) =>
      ({ op: 'playerUpdate', guildId: '1', state: { position, time: 0, connected: true, ping: 0 } }) as never;
    const fromA = message(1);
    sources.set(fromA, a.node as unknown as Node);
    player.onPlayerUpdate(fromA);
    const fromB = message(2);
    sources.set(fromB, fakeNode('b').node as unknown as Node);
    player.onPlayerUpdate(fromB);
    player.onPlayerUpdate(message(3));
    assert.deepEqual(updates, [1, 3]);
    assert.deepEqual(stale, [['1', 'b']]);
    const ends: unknown[] = [];
    player.on('end', (end) => ends.push(end));
    const staleEnd = { op: 'event', type: 'TrackEndEvent', guildId: '1', reason: 'finished', track: {} } as never;
    sources.set(staleEnd, fakeNode('b').node as unknown as Node);
    player.onPlayerEvent(staleEnd);
    assert.deepEqual(ends, []);
  });
});
