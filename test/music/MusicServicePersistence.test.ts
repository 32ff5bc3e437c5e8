import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterPresets } from '../../src/music/FilterPresets.js';
import type { GuildQueueSnapshot } from '../../src/music/GuildQueueSnapshot.js';
import type { TrackEndedEvent } from '../../src/music/MusicService.js';
import {
  createHarness,
  ended,
  GuildId,
  lastPlayed,
  playRequest,
  searchable,
  settle,
  started,
  TextChannelId,
  VoiceChannelId,
} from './musicServiceHarness.js';
import { bob, track } from './trackFixtures.js';

/** A snapshot of the test guild: `current` at 90 s with two tracks waiting, as a crash would have left it. */
function snapshot(overrides: Partial<GuildQueueSnapshot> = {}): GuildQueueSnapshot {
  return {
    version: 1,
    guildId: GuildId,
    current: track('now'),
    positionMs: 90_000,
    upcoming: [track('next'), track('later', bob)],
    history: [track('before')],
    loop: 'queue',
    volume: 70,
    filter: 'nightcore',
    paused: false,
    alwaysOn: true,
    voiceChannelId: VoiceChannelId,
    textChannelId: TextChannelId,
    ...overrides,
  };
}

describe('MusicService: restore after a restart', () => {
  it('GIVEN a snapshot THEN it rejoins the voice channel and plays the current track from the saved position with the saved settings', async () => {
    await using h = createHarness();
    const changes: string[] = [];
    h.service.on('stateChanged', ({ guildId }) => changes.push(guildId));

    assert.equal(await h.service.restore(snapshot(), { shardId: 3 }), 'restored');

    assert.deepEqual(h.gateway.joins, [{ guildId: GuildId, voiceChannelId: VoiceChannelId, shardId: 3, deaf: true }]);
    assert.deepEqual(h.player().calls, [
      {
        op: 'play',
        encoded: 'enc-now',
        options: { startMs: 90_000, paused: false, volume: 70, filters: FilterPresets.nightcore },
      },
    ]);
    const page = h.service.queuePage(GuildId, 1);
    assert.equal(page.current?.identifier, 'now');
    assert.deepEqual(
      page.tracks.map((t) => [t.identifier, t.requester.id]),
      [
        ['next', '100'],
        ['later', bob.id],
      ],
    );
    assert.equal(page.loop, 'queue');
    started(h.player());
    const np = h.service.nowPlaying(GuildId);
    assert.deepEqual([np.volume, np.filter, np.alwaysOn, np.paused], [70, 'nightcore', true, false]);
    assert.ok(changes.length > 0, 'persistence hears of the restored state');
    const saved = h.service.snapshotOf(GuildId);
    assert.equal(saved?.positionMs, 90_000);
    assert.deepEqual(
      saved?.history.map((t) => t.identifier),
      ['before'],
    );
  });

  it('GIVEN a paused snapshot THEN the track is put back paused; a stream starts from its beginning', async () => {
    await using h = createHarness();
    await h.service.restore(snapshot({ paused: true }), { shardId: 0 });
    assert.deepEqual(h.player().calls[0], {
      op: 'play',
      encoded: 'enc-now',
      options: { startMs: 90_000, paused: true, volume: 70, filters: FilterPresets.nightcore },
    });

    await using other = createHarness();
    const live = track('live', undefined, { isStream: true, isSeekable: false });
    await other.service.restore(snapshot({ current: live }), { shardId: 0 });
    const [call] = other.player().calls;
    assert.equal(call?.op === 'play' ? call.options.startMs : undefined, 0);
  });

  it('GIVEN the guild already plays again (a /play came first) THEN the snapshot is skipped', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    assert.equal(await h.service.restore(snapshot(), { shardId: 0 }), 'skipped');
    assert.equal(h.gateway.joins.length, 1);
    assert.equal(lastPlayed(h.player()), 'enc-song1');
  });

  it('GIVEN the track is refused WHEN restoring THEN the error is thrown and nothing is left behind', async () => {
    await using h = createHarness();
    const refused = new Error('400: Failed to decode track');
    h.gateway.join = async (options) => {
      const player = await Object.getPrototypeOf(h.gateway).join.call(h.gateway, options);
      player.play = async () => {
        throw refused;
      };
      return player;
    };
    await assert.rejects(h.service.restore(snapshot(), { shardId: 0 }), refused);
    assert.equal(h.service.voiceChannelOf(GuildId), undefined);
    assert.equal(h.service.snapshotOf(GuildId), undefined);
    assert.equal(h.gateway.player(GuildId), undefined, 'the player was destroyed');
    assert.equal(h.service.queuePage(GuildId, 1).total, 0);
  });

  it('GIVEN the join fails THEN the error is thrown and the guild has no session', async () => {
    await using h = createHarness();
    h.gateway.joinError = new Error('The voice connection is not established in 15 seconds');
    await assert.rejects(h.service.restore(snapshot(), { shardId: 0 }), /not established/);
    assert.equal(h.service.snapshots().length, 0);
  });
});

describe('MusicService: what persistence hears', () => {
  it('emits stateChanged for every change a command or the player makes, only while connected', async () => {
    await using h = createHarness();
    const changes: string[] = [];
    h.service.on('stateChanged', ({ guildId }) => changes.push(guildId));
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    await h.service.play(playRequest('a'));
    const afterPlay = changes.length;
    assert.ok(afterPlay >= 1, 'the join and the addition');
    await h.service.play(playRequest('b'));
    started(h.player());
    await h.service.pause(GuildId);
    await h.service.setVolume(GuildId, 50);
    h.service.setLoop(GuildId, 'track');
    await h.service.seek(GuildId, 10_000);
    await h.service.setFilter(GuildId, 'bassboost');
    h.service.setAlwaysOn(GuildId, true);
    assert.equal(changes.length, afterPlay + 8, 'one per command and one for the track start');
    assert.ok(changes.every((g) => g === GuildId));
    const snapshot = h.service.snapshotOf(GuildId);
    assert.deepEqual(
      [snapshot?.paused, snapshot?.volume, snapshot?.loop, snapshot?.filter, snapshot?.alwaysOn, snapshot?.positionMs],
      [true, 50, 'track', 'bassboost', true, 10_000],
    );
    await h.service.leave(GuildId);
    const count = changes.length;
    assert.equal(h.service.snapshotOf(GuildId), undefined);
    h.service.membersChanged(GuildId, VoiceChannelId, 0);
    assert.equal(changes.length, count, 'nothing after the bot left');
  });

  it('emits trackEnded with the time played (pauses excluded) and why the track stopped', async () => {
    await using h = createHarness();
    const plays: TrackEndedEvent[] = [];
    h.service.on('trackEnded', (play) => plays.push(play));
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    await h.service.play(playRequest('a'));
    await h.service.play(playRequest('b'));
    started(h.player());
    h.clock.ms += 30_000;
    await h.service.pause(GuildId);
    h.clock.ms += 60_000;
    await h.service.resume(GuildId);
    h.clock.ms += 10_000;
    await h.service.skip(GuildId);
    started(h.player());
    h.clock.ms += 5_000;
    ended(h.player());
    await settle();

    assert.deepEqual(
      plays.map((p) => [p.track.identifier, p.reason, p.playedMs, p.guildId]),
      [
        ['a1', 'skipped', 40_000, GuildId],
        ['b1', 'finished', 5_000, GuildId],
      ],
    );
    assert.ok(plays.every((p) => p.startedAt.getTime() <= p.endedAt.getTime()));
  });

  it('GIVEN guild defaults THEN a new session starts at the guild’s volume, with 24/7 in its 24/7 channel', async () => {
    const asked: string[] = [];
    await using h = createHarness({
      guildDefaults: async (guildId) => {
        asked.push(guildId);
        return { volume: 35, alwaysOnChannelId: VoiceChannelId };
      },
    });
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    await h.service.play(playRequest('a'));
    await h.service.play(playRequest('b'));
    assert.deepEqual(asked, [GuildId], 'asked once, for the new session only');
    started(h.player());
    const np = h.service.nowPlaying(GuildId);
    assert.equal(np.volume, 35);
    assert.equal(np.alwaysOn, true);
    const [call] = h.player().calls;
    assert.equal(call?.op === 'play' && call.options.volume, 35);
  });

  it('GIVEN guild defaults for another channel or an invalid volume THEN the configured defaults apply', async () => {
    await using h = createHarness({
      guildDefaults: async () => ({ volume: 999, alwaysOnChannelId: '400000000000000999' }),
    });
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a'));
    started(h.player());
    const np = h.service.nowPlaying(GuildId);
    assert.deepEqual([np.volume, np.alwaysOn], [100, false]);
  });
});
