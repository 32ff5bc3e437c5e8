import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import pino from 'pino';
import { FilterPresets } from '../../src/music/FilterPresets.js';
import { MusicError } from '../../src/music/MusicError.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import type { FakeGuildPlayer, FakeLavalinkGateway } from './FakeLavalinkGateway.js';
import {
  createHarness,
  ended,
  GuildId,
  type Harness,
  lastPlayed,
  played,
  playRequest,
  searchable,
  settle,
  started,
  TextChannelId,
  VoiceChannelId,
} from './musicServiceHarness.js';
import { bob, loadedTrack } from './trackFixtures.js';

const telemetry = new InMemoryTelemetry();

/** Asserts that `promise` (or `fn`) fails with the MusicError `identifier`. */
async function refuses(action: Promise<unknown> | (() => unknown), identifier: string): Promise<void> {
  await assert.rejects(
    async () => (typeof action === 'function' ? action() : action),
    (error: unknown) => error instanceof MusicError && error.identifier === identifier,
  );
}

/** Makes every join wait until the returned function is called, as a slow voice connection would. */
function holdJoins(gateway: FakeLavalinkGateway): () => void {
  const held = Promise.withResolvers<void>();
  const join = gateway.join.bind(gateway);
  gateway.join = async (options) => {
    await held.promise;
    return join(options);
  };
  return () => held.resolve();
}

/** Makes the player's next `op` call wait until the returned function is called, as a slow Lavalink would. */
function holdNext(player: FakeGuildPlayer, op: 'pause' | 'resume'): () => void {
  const held = Promise.withResolvers<void>();
  const call = player[op].bind(player);
  player[op] = async () => {
    player[op] = call;
    await held.promise;
    await call();
  };
  return () => held.resolve();
}

/** A /pause the player answers only once `meanwhile` has run, as a slow Lavalink would. */
async function pauseAnsweredAfter(
  h: Harness,
  player: FakeGuildPlayer,
  meanwhile: () => Promise<unknown>,
): Promise<void> {
  const answer = holdNext(player, 'pause');
  const pausing = h.service.pause(GuildId);
  await meanwhile();
  answer();
  await pausing;
}

function automation(action: string, outcome: string): Promise<number> {
  return telemetry.total('metronome.automation.actions', { action, outcome });
}

describe('MusicService: /play', () => {
  it('GIVEN a search WHEN nothing plays THEN it joins the member’s channel deafened and starts the best match', async () => {
    await using h = createHarness();
    const [best] = searchable(h.gateway, 'daft punk', 3);

    const outcome = await h.service.play(playRequest('daft punk'));

    assert.equal(outcome.started, true);
    assert.equal(outcome.position, 0);
    assert.deepEqual(
      outcome.tracks.map((t) => t.identifier),
      [best?.identifier],
    );
    assert.deepEqual(h.gateway.joins, [{ guildId: GuildId, voiceChannelId: VoiceChannelId, shardId: 0, deaf: true }]);
    assert.deepEqual(h.player().calls, [
      { op: 'play', encoded: best?.encoded, options: { volume: 100, filters: {}, paused: false } },
    ]);
    assert.equal(h.service.voiceChannelOf(GuildId), VoiceChannelId);
  });

  it('GIVEN a track playing WHEN more are asked for THEN they are queued at their 1-based positions', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'first');
    searchable(h.gateway, 'second');
    searchable(h.gateway, 'third');

    await h.service.play(playRequest('first'));
    const second = await h.service.play(playRequest('second'));
    const third = await h.service.play(playRequest('third', { member: bob }));

    assert.deepEqual([second.started, second.position], [false, 1]);
    assert.deepEqual([third.started, third.position], [false, 2]);
    assert.equal(third.tracks[0]?.requester.id, bob.id);
    assert.equal(h.gateway.joins.length, 1, 'joins once');
    assert.equal(played(h.player()).length, 1, 'does not interrupt the playing track');
  });

  it('keeps the origin of the command on the queued track, for the span link', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'song');
    const origin = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
    const outcome = await h.service.play(playRequest('song', { origin }));
    assert.deepEqual(outcome.tracks[0]?.origin, origin);
  });

  it('GIVEN a playlist larger than the room left THEN it is trimmed, and the trim is counted', async () => {
    await using h = createHarness({ limits: { maxQueueLength: 3 } });
    const url = 'https://media.example/list';
    h.gateway.playlist(
      url,
      'Mix',
      [1, 2, 3, 4, 5].map((i) => loadedTrack(`p${i}`)),
    );
    const before = await automation('queue_trim', 'trimmed');

    const outcome = await h.service.play(playRequest(url));

    assert.equal(outcome.playlistName, 'Mix');
    assert.equal(outcome.started, true);
    assert.deepEqual(
      outcome.tracks.map((t) => t.identifier),
      ['p1', 'p2', 'p3'],
    );
    assert.equal(outcome.trimmed, 2);
    assert.equal(await automation('queue_trim', 'trimmed'), before + 1);
    assert.deepEqual(h.service.queuePage(GuildId, 1).total, 2, 'the first track plays, two wait');
  });

  it('reports tracks left out for length and for the member’s share', async () => {
    await using h = createHarness({ limits: { maxQueueLength: 10, maxMemberSharePercent: 20 } });
    const url = 'https://media.example/long-list';
    h.gateway.playlist(url, 'Long', [
      loadedTrack('ok1'),
      loadedTrack('huge', { lengthMs: 4 * 3600_000 }),
      loadedTrack('ok2'),
      loadedTrack('ok3'),
    ]);
    const outcome = await h.service.play(playRequest(url));
    assert.deepEqual([outcome.tracks.length, outcome.skippedTooLong, outcome.skippedOverShare], [2, 1, 1]);
  });

  it('GIVEN an addition the limits refuse THEN it throws their MusicError, counts it, and never joins', async () => {
    await using h = createHarness();
    h.gateway.search('marathon', [loadedTrack('marathon', { lengthMs: 5 * 3600_000 })]);
    const before = await automation('queue_trim', 'too_long');

    await refuses(h.service.play(playRequest('marathon')), 'track.too_long');

    assert.equal(h.gateway.joins.length, 0);
    assert.equal(await automation('queue_trim', 'too_long'), before + 1);
  });

  it('GIVEN a full queue THEN a further track is refused with queue.full', async () => {
    await using h = createHarness({ limits: { maxQueueLength: 1 } });
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    searchable(h.gateway, 'c');
    await h.service.play(playRequest('a'));
    await h.service.play(playRequest('b'));
    await refuses(h.service.play(playRequest('c')), 'queue.full');
  });

  it('answers load.no_matches and load.failed for empty and failed loads, without joining', async () => {
    await using h = createHarness();
    h.gateway.results.set('ytsearch:broken', {
      kind: 'error',
      tracks: [],
      error: { message: 'upstream said no', severity: 'common' },
    });
    await refuses(h.service.play(playRequest('nothing at all')), 'load.no_matches');
    await refuses(h.service.play(playRequest('broken')), 'load.failed');
    assert.equal(h.gateway.joins.length, 0);
  });

  it('refuses hostile input before it reaches Lavalink', async () => {
    await using h = createHarness({ resolve: async () => [{ address: '10.0.0.5' }] });
    await refuses(h.service.play(playRequest('https://intranet.example/secret')), 'query.url_not_allowed');
    await refuses(h.service.play(playRequest('http://169.254.169.254/latest')), 'query.url_not_allowed');
    await refuses(h.service.play(playRequest('file:///etc/passwd')), 'query.scheme_not_allowed');
    await refuses(h.service.play(playRequest('x'.repeat(501))), 'query.too_long');
    assert.deepEqual(h.gateway.loads, []);
  });

  it('lets a transport failure of a load propagate as it is', async () => {
    await using h = createHarness();
    h.gateway.loadError = new Error('connect ECONNREFUSED');
    await assert.rejects(h.service.play(playRequest('song')), /ECONNREFUSED/);
  });

  it('GIVEN the join fails THEN the error propagates and the guild is not left half-connected', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'song');
    h.gateway.joinError = new Error('voice connection timed out');
    await assert.rejects(h.service.play(playRequest('song')), /timed out/);
    assert.equal(h.service.voiceChannelOf(GuildId), undefined);
    assert.deepEqual(h.service.snapshots(), []);
  });

  it('GIVEN the player refuses to play THEN the track waits at the head of the queue with nothing current', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'song');
    searchable(h.gateway, 'other');
    await h.service.play(playRequest('song'));
    await h.service.stop(GuildId);
    h.player().play = async () => {
      throw new Error('node unavailable');
    };
    await assert.rejects(h.service.play(playRequest('other')), /node unavailable/);
    const page = h.service.queuePage(GuildId, 1);
    assert.equal(page.current, null);
    assert.deepEqual(
      page.tracks.map((t) => t.identifier),
      ['other1'],
    );
  });

  it('queues a /search pick with enqueue, as /play would', async () => {
    await using h = createHarness();
    const results = searchable(h.gateway, 'lofi', 5);
    const found = await h.service.search('lofi', 3);
    assert.equal(found.length, 3);
    const outcome = await h.service.enqueue(playRequest('ignored'), results[1]!);
    assert.equal(outcome.started, true);
    assert.equal(lastPlayed(h.player()), results[1]?.encoded);
  });
});

describe('MusicService: track ends and loop modes', () => {
  async function threeQueued() {
    const h = createHarness();
    for (const name of ['a', 'b', 'c']) {
      searchable(h.gateway, name);
      await h.service.play(playRequest(name));
    }
    return h;
  }

  it('GIVEN loop off WHEN tracks finish THEN the next plays, and the end of the queue is announced', async () => {
    await using h = await threeQueued();
    const player = h.player();
    for (let i = 0; i < 3; i++) {
      started(player);
      ended(player);
      await settle();
    }
    assert.deepEqual(played(player), ['enc-a1', 'enc-b1', 'enc-c1']);
    assert.deepEqual(
      h.events.filter((e) => e.name === 'queueEnd'),
      [{ name: 'queueEnd', guildId: GuildId, textChannelId: TextChannelId }],
    );
    assert.deepEqual(
      h.events.filter((e) => e.name === 'trackStart').map((e) => e.name === 'trackStart' && e.track.identifier),
      ['a1', 'b1', 'c1'],
    );
  });

  it('GIVEN loop track THEN a finished track plays again', async () => {
    await using h = await threeQueued();
    h.service.setLoop(GuildId, 'track');
    started(h.player());
    ended(h.player());
    await settle();
    assert.deepEqual(played(h.player()), ['enc-a1', 'enc-a1']);
  });

  it('GIVEN loop queue THEN finished tracks go round', async () => {
    await using h = await threeQueued();
    h.service.setLoop(GuildId, 'queue');
    for (let i = 0; i < 4; i++) {
      started(h.player());
      ended(h.player());
      await settle();
    }
    assert.deepEqual(played(h.player()), ['enc-a1', 'enc-b1', 'enc-c1', 'enc-a1', 'enc-b1']);
    assert.equal(
      h.events.some((e) => e.name === 'queueEnd'),
      false,
    );
  });

  it('GIVEN loop track WHEN a member skips THEN the next track plays and the skipped one does not return', async () => {
    await using h = await threeQueued();
    h.service.setLoop(GuildId, 'track');
    started(h.player());
    await h.service.skip(GuildId);
    started(h.player());
    ended(h.player());
    await settle();
    assert.deepEqual(played(h.player()), ['enc-a1', 'enc-b1', 'enc-b1']);
  });

  it('ignores ends that do not start the next track (stopped, replaced, cleanup)', async () => {
    await using h = await threeQueued();
    started(h.player());
    ended(h.player(), 'replaced');
    ended(h.player(), 'cleanup');
    await settle();
    assert.deepEqual(played(h.player()), ['enc-a1']);
  });

  it('GIVEN a track throws THEN the next one plays, trackError is announced, and the late end moves nothing', async () => {
    await using h = await threeQueued();
    h.service.setLoop(GuildId, 'track');
    const player = h.player();
    const failed = started(player);
    player.emit({ type: 'exception', encoded: failed, message: 'video unavailable', severity: 'common' });
    player.emit({ type: 'end', encoded: failed, reason: 'loadFailed' });
    await settle();

    assert.deepEqual(played(player), ['enc-a1', 'enc-b1'], 'skips, even in loop track');
    const errors = h.events.filter((e) => e.name === 'trackError');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.name === 'trackError' && errors[0].kind, 'exception');
    assert.equal(h.service.nowPlaying(GuildId).track.identifier, 'b1');
  });

  it('GIVEN the last track gets stuck THEN the player is stopped and the queue ends', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'only');
    await h.service.play(playRequest('only'));
    const encoded = started(h.player());
    h.player().emit({ type: 'stuck', encoded, thresholdMs: 10_000 });
    await settle();
    assert.deepEqual(h.player().calls.at(-1), { op: 'stop' });
    assert.deepEqual(
      h.events.map((e) => e.name),
      ['trackStart', 'trackError', 'queueEnd'],
    );
  });

  it('treats a track that failed to load (no start, end loadFailed) as failed, without looping on it', async () => {
    await using h = await threeQueued();
    h.service.setLoop(GuildId, 'track');
    ended(h.player(), 'loadFailed');
    await settle();
    assert.deepEqual(played(h.player()), ['enc-a1', 'enc-b1']);
  });
});

describe('MusicService: skip, stop, leave', () => {
  it('skip returns the skipped track and plays the next; the late end of the skipped track moves nothing', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    searchable(h.gateway, 'c');
    for (const q of ['a', 'b', 'c']) await h.service.play(playRequest(q));
    started(h.player());

    const skipped = await h.service.skip(GuildId);
    h.player().emit({ type: 'end', encoded: 'enc-a1', reason: 'replaced' });
    started(h.player());

    assert.equal(skipped.identifier, 'a1');
    assert.deepEqual(played(h.player()), ['enc-a1', 'enc-b1']);
    assert.equal(h.service.queuePage(GuildId, 1).total, 1);
  });

  it('skipping the last track stops the player and ends the queue', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a'));
    await h.service.skip(GuildId);
    assert.deepEqual(h.player().calls.at(-1), { op: 'stop' });
    assert.ok(h.events.some((e) => e.name === 'queueEnd'));
    await refuses(h.service.skip(GuildId), 'nothing.playing');
  });

  it('stop clears the queue and stops the player, and the bot stays connected', async () => {
    await using h = createHarness();
    for (const q of ['a', 'b']) {
      searchable(h.gateway, q);
      await h.service.play(playRequest(q));
    }
    await h.service.stop(GuildId);
    assert.deepEqual(h.player().calls.at(-1), { op: 'stop' });
    assert.equal(h.service.queuePage(GuildId, 1).total, 0);
    assert.equal(h.service.voiceChannelOf(GuildId), VoiceChannelId);
    assert.throws(() => h.service.nowPlaying(GuildId), MusicError);
    await refuses(h.service.stop(GuildId), 'nothing.playing');
  });

  it('leave destroys the player, forgets the queue and announces it', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a'));
    const player = h.player();
    await h.service.leave(GuildId);
    assert.equal(player.destroyed, true);
    assert.deepEqual(h.service.snapshots(), []);
    assert.equal(h.service.voiceChannelOf(GuildId), undefined);
    assert.deepEqual(h.events.at(-1), {
      name: 'disconnected',
      guildId: GuildId,
      textChannelId: TextChannelId,
      reason: 'left',
    });
    await refuses(h.service.leave(GuildId), 'nothing.playing');
  });

  it('cleans up after a deleted voice channel or a guild that went away, counting each', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    const before = await automation('idle_disconnect', 'channel_gone');
    await h.service.play(playRequest('a'));
    await h.service.channelGone(GuildId, 'some-other-channel');
    assert.equal(h.service.voiceChannelOf(GuildId), VoiceChannelId, 'another channel changes nothing');
    await h.service.channelGone(GuildId, VoiceChannelId);
    assert.equal(h.service.voiceChannelOf(GuildId), undefined);
    assert.equal(await automation('idle_disconnect', 'channel_gone'), before + 1);

    const beforeGuild = await automation('idle_disconnect', 'guild_gone');
    await h.service.play(playRequest('a'));
    await h.service.guildGone(GuildId);
    assert.deepEqual(
      h.events.filter((e) => e.name === 'disconnected').map((e) => e.name === 'disconnected' && e.reason),
      ['channel_gone', 'guild_gone'],
    );
    assert.equal(await automation('idle_disconnect', 'guild_gone'), beforeGuild + 1);
  });

  it('GIVEN someone disconnects the bot from voice THEN it leaves as /leave does (reason disconnected), and a later /play joins again', async () => {
    const lines: { msg: string; reason?: string; voice_channel_id?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    await using h = createHarness({ logger });
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a'));
    const player = h.player();
    started(player);
    const channel = h.service.voiceChannelOf(GuildId);
    lines.length = 0;

    await h.service.botVoiceChanged(GuildId, null);

    assert.deepEqual(
      lines.map(({ msg, reason, voice_channel_id }) => ({ msg, reason, voice_channel_id })),
      [{ msg: 'left the voice channel', reason: 'disconnected', voice_channel_id: channel }],
      'one line says it all',
    );

    assert.equal(player.destroyed, true);
    assert.equal(h.service.voiceChannelOf(GuildId), undefined);
    assert.deepEqual(h.service.snapshots(), []);
    assert.deepEqual(h.service.playingGuilds(), []);
    assert.deepEqual(h.events.at(-1), {
      name: 'disconnected',
      guildId: GuildId,
      textChannelId: TextChannelId,
      reason: 'disconnected',
    });
    await refuses(h.service.pause(GuildId), 'nothing.playing');

    await h.service.play(playRequest('a'));
    assert.equal(h.gateway.joins.length, 2, 'joins again instead of queueing on a player without voice');
    assert.deepEqual(played(h.player()), ['enc-a1']);
  });

  it('GIVEN someone moves the bot to another channel THEN it plays on there and snapshots the new channel', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a'));
    const changes: string[] = [];
    h.service.on('stateChanged', ({ guildId }) => changes.push(guildId));

    await h.service.botVoiceChanged(GuildId, 'moved-to');

    assert.equal(h.service.voiceChannelOf(GuildId), 'moved-to');
    assert.equal(h.service.snapshotOf(GuildId)?.voiceChannelId, 'moved-to');
    assert.deepEqual(changes, [GuildId]);
    assert.equal(h.player().destroyed, false);
    assert.equal(
      h.events.some((e) => e.name === 'disconnected'),
      false,
    );
  });

  it('GIVEN the bot left on its own WHEN Discord reports it out of voice THEN nothing happens a second time', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a'));
    await h.service.botVoiceChanged(GuildId, VoiceChannelId);
    await h.service.leave(GuildId);
    await h.service.botVoiceChanged(GuildId, null);
    assert.deepEqual(
      h.events.filter((e) => e.name === 'disconnected').map((e) => e.name === 'disconnected' && e.reason),
      ['left'],
    );
  });

  it('GIVEN two /play from different channels before the bot is connected THEN the second is refused, not queued where its member is not', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    const releaseJoins = holdJoins(h.gateway);
    const first = h.service.play(playRequest('a'));
    const second = h.service.play(playRequest('b', { member: bob, voiceChannelId: 'elsewhere' }));
    await settle();
    releaseJoins();
    await first;
    await refuses(second, 'voice.different_channel');
    assert.equal(h.service.voiceChannelOf(GuildId), VoiceChannelId);
    assert.deepEqual(played(h.player()), ['enc-a1']);
    assert.equal(h.service.queuePage(GuildId, 1).total, 0, 'nothing of the refused /play was queued');
  });

  it('GIVEN a join in flight WHEN Discord reports the bot’s voice THEN the join decides the channel', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    const releaseJoins = holdJoins(h.gateway);
    const playing = h.service.play(playRequest('a'));
    await settle();
    await h.service.botVoiceChanged(GuildId, null);
    await h.service.botVoiceChanged(GuildId, 'elsewhere');
    releaseJoins();
    await playing;
    assert.equal(h.service.voiceChannelOf(GuildId), VoiceChannelId);
    assert.deepEqual(played(h.player()), ['enc-a1']);
  });

  it('GIVEN /leave during a join WHEN /play runs again before the join ends THEN the new session plays on the joined player', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    const joined = Promise.withResolvers<void>();
    const join = h.gateway.join.bind(h.gateway);
    // As the real gateway does, every join of the guild while one is in flight gets that one.
    let inFlight: Promise<FakeGuildPlayer> | undefined;
    h.gateway.join = (options) => {
      inFlight ??= joined.promise.then(() => join(options));
      return inFlight;
    };
    const first = h.service.play(playRequest('a'));
    await settle();
    await h.service.leave(GuildId);
    const second = h.service.play(playRequest('b'));
    await settle();
    joined.resolve();

    await refuses(first, 'nothing.playing');
    await second;
    const player = h.player();
    assert.equal(player.destroyed, false);
    assert.deepEqual(played(player), ['enc-b1']);
    assert.equal(h.service.voiceChannelOf(GuildId), VoiceChannelId);
    await h.service.play(playRequest('a'));
    assert.deepEqual(h.service.queuePage(GuildId, 1).total, 1, 'a later /play queues on the same player');
  });

  it('GIVEN the player is destroyed while the join waits for it THEN the service joins again rather than keep it', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    const join = h.gateway.join.bind(h.gateway);
    h.gateway.join = async (options) => {
      h.gateway.join = join;
      const player = await join(options);
      await player.destroy();
      return player;
    };
    await h.service.play(playRequest('a'));
    assert.equal(h.player().destroyed, false);
    assert.deepEqual(played(h.player()), ['enc-a1']);
  });

  it('GIVEN the text channel is deleted THEN playback goes on and announcements carry no channel', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a'));
    await h.service.channelGone(GuildId, TextChannelId);
    started(h.player());
    assert.equal(h.events.at(-1)?.name === 'trackStart' && h.events.at(-1)?.textChannelId, '');
  });
});

describe('MusicService: player controls and queue views', () => {
  async function playing() {
    const h = createHarness({ random: () => 0 });
    for (const q of ['a', 'b', 'c', 'd']) {
      searchable(h.gateway, q);
      await h.service.play(playRequest(q));
    }
    return h;
  }

  it('pauses, resumes, seeks, sets volume and filters on the player, and shows it all in nowPlaying', async () => {
    await using h = await playing();
    await h.service.pause(GuildId);
    await h.service.pause(GuildId);
    await h.service.seek(GuildId, 60_000);
    await h.service.setVolume(GuildId, 150);
    await h.service.setFilter(GuildId, 'nightcore');
    h.service.setLoop(GuildId, 'queue');

    const now = h.service.nowPlaying(GuildId);
    assert.equal(now.track.identifier, 'a1');
    assert.deepEqual(
      [now.positionMs, now.paused, now.volume, now.filter, now.loop, now.node, now.alwaysOn],
      [60_000, true, 150, 'nightcore', 'queue', 'fake-node', false],
    );
    await h.service.resume(GuildId);
    assert.deepEqual(h.player().calls.slice(1), [
      { op: 'pause' },
      { op: 'seek', positionMs: 60_000 },
      { op: 'volume', volume: 150 },
      { op: 'filters', filters: FilterPresets.nightcore },
      { op: 'resume' },
    ]);
  });

  it('GIVEN a /pause the player has not answered WHEN the track ends meanwhile THEN the next track plays, and the queue says so', async () => {
    await using h = await playing();
    const player = h.player();
    started(player);
    await pauseAnsweredAfter(h, player, () => {
      ended(player);
      return settle();
    });

    assert.deepEqual(
      player.calls.findLast((call) => call.op === 'play'),
      {
        op: 'play',
        encoded: 'enc-b1',
        options: { volume: 100, filters: {}, paused: false },
      },
    );
    started(player);
    const now = h.service.nowPlaying(GuildId);
    assert.deepEqual([now.track.identifier, now.paused], ['b1', false]);
    assert.deepEqual(h.service.playingGuilds(), [GuildId]);
    assert.equal(h.service.snapshotOf(GuildId)?.paused, false);
  });

  it('GIVEN a /pause the player has not answered WHEN a member skips meanwhile THEN the next track plays unpaused', async () => {
    await using h = await playing();
    const player = h.player();
    started(player);
    await pauseAnsweredAfter(h, player, () => h.service.skip(GuildId));
    assert.equal(h.service.nowPlaying(GuildId).paused, false);
  });

  it('GIVEN loop track WHEN the track replays before the player answers a /pause THEN the replay plays unpaused', async () => {
    await using h = await playing();
    h.service.setLoop(GuildId, 'track');
    const player = h.player();
    started(player);
    await pauseAnsweredAfter(h, player, () => {
      ended(player);
      return settle();
    });
    assert.deepEqual(played(player), ['enc-a1', 'enc-a1']);
    assert.equal(h.service.nowPlaying(GuildId).paused, false);
  });

  it('refuses bad values with the queue’s MusicErrors and keeps the old settings when the player fails', async () => {
    await using h = await playing();
    await refuses(h.service.setVolume(GuildId, 201), 'volume.out_of_range');
    await refuses(h.service.seek(GuildId, 10 * 60_000), 'seek.out_of_range');
    h.player().setVolume = async () => {
      throw new Error('node down');
    };
    await assert.rejects(h.service.setVolume(GuildId, 50), /node down/);
    assert.equal(h.service.nowPlaying(GuildId).volume, 100);
  });

  it('pages the queue with 1-based positions and clamps the page', async () => {
    await using h = await playing();
    const page = h.service.queuePage(GuildId, 2, 2);
    assert.deepEqual(
      page.tracks.map((t) => t.identifier),
      ['d1'],
    );
    assert.deepEqual(
      [page.page, page.pages, page.total, page.firstPosition, page.totalLengthMs],
      [2, 2, 3, 3, 540_000],
    );
    assert.equal(page.current?.identifier, 'a1');
    assert.equal(h.service.queuePage(GuildId, 99, 2).page, 2);
    assert.deepEqual(h.service.queuePage('another-guild', 1).pages, 1);
  });

  it('removes, moves, shuffles and clears by 1-based positions', async () => {
    await using h = await playing();
    assert.equal(h.service.move(GuildId, 3, 1).identifier, 'd1');
    assert.equal(h.service.remove(GuildId, 2).identifier, 'b1');
    assert.throws(
      () => h.service.remove(GuildId, 5),
      (e: unknown) => e instanceof MusicError,
    );
    assert.equal(h.service.shuffle(GuildId), 2);
    assert.equal(h.service.clear(GuildId), 2);
    assert.throws(
      () => h.service.clear(GuildId),
      (e: unknown) => e instanceof MusicError && e.identifier === 'queue.empty',
    );
    assert.throws(() => h.service.shuffle('another-guild'), MusicError);
  });

  it('snapshots every guild with the playback position', async () => {
    await using h = await playing();
    h.player().positionMs = 42_000;
    const [snapshot] = h.service.snapshots();
    assert.equal(snapshot?.guildId, GuildId);
    assert.equal(snapshot?.current?.identifier, 'a1');
    assert.equal(snapshot?.positionMs, 42_000);
    assert.equal(snapshot?.voiceChannelId, VoiceChannelId);
    assert.equal(snapshot?.textChannelId, TextChannelId);
  });

  it('throws nothing.playing for controls in a guild where the bot is not playing', async () => {
    await using h = createHarness();
    await refuses(h.service.pause(GuildId), 'nothing.playing');
    await refuses(h.service.skip(GuildId), 'nothing.playing');
    await refuses(() => h.service.nowPlaying(GuildId), 'nothing.playing');
    await refuses(h.service.seek(GuildId, 0), 'nothing.playing');
  });
});

describe('MusicService: autocomplete', () => {
  it('suggests at most 25 tracks with names of at most 100 characters and a playable value', async () => {
    await using h = createHarness();
    h.gateway.search(
      'long',
      Array.from({ length: 30 }, (_, i) => loadedTrack(`t${i}`, { title: `${'Very long title '.repeat(10)}${i}` })),
    );
    const choices = await h.service.autocomplete('long');
    assert.equal(choices.length, 25);
    for (const choice of choices) {
      assert.ok(choice.name.length > 0 && choice.name.length <= 100, choice.name);
      assert.ok(choice.value.length > 0 && choice.value.length <= 100, choice.value);
    }
    assert.equal(choices[0]?.value, 'https://media.example/t0');
  });

  it('answers short input and links at once, without asking Lavalink', async () => {
    await using h = createHarness();
    assert.deepEqual(await h.service.autocomplete(''), []);
    assert.deepEqual(await h.service.autocomplete(' a '), []);
    assert.deepEqual(await h.service.autocomplete('https://media.example/x'), []);
    assert.deepEqual(h.gateway.loads, []);
  });

  it('never throws: failed loads, refused input and Lavalink errors suggest nothing', async () => {
    await using h = createHarness();
    assert.deepEqual(await h.service.autocomplete('bad\u0000input'), []);
    h.gateway.loadError = new Error('socket hang up');
    assert.deepEqual(await h.service.autocomplete('anything'), []);
    h.gateway.loadError = null;
    h.gateway.results.set('ytsearch:err', { kind: 'error', tracks: [], error: { message: 'x', severity: 'fault' } });
    assert.deepEqual(await h.service.autocomplete('err'), []);
  });
});

describe('MusicService: slow autocomplete', () => {
  afterEach(() => mock.timers.reset());

  it('gives up on a search slower than Discord waits, suggesting nothing', async () => {
    await using h = createHarness();
    h.gateway.load = () => new Promise(() => undefined);
    mock.timers.enable({ apis: ['setTimeout'] });
    const pending = h.service.autocomplete('slow search');
    await settle();
    mock.timers.tick(2_500);
    assert.deepEqual(await pending, []);
  });
});

describe('MusicService without Lavalink', () => {
  it('is disabled and refuses every command with music.not_configured, but autocomplete answers nothing', async () => {
    await using h = createHarness({ gateway: null });
    const { service } = h;
    assert.equal(service.enabled, false);
    await refuses(service.play(playRequest('song')), 'music.not_configured');
    await refuses(service.search('song'), 'music.not_configured');
    await refuses(service.enqueue(playRequest('x'), loadedTrack('x')), 'music.not_configured');
    await refuses(service.skip(GuildId), 'music.not_configured');
    await refuses(service.stop(GuildId), 'music.not_configured');
    await refuses(service.leave(GuildId), 'music.not_configured');
    await refuses(() => service.nowPlaying(GuildId), 'music.not_configured');
    await refuses(() => service.queuePage(GuildId, 1), 'music.not_configured');
    await refuses(() => service.setLoop(GuildId, 'track'), 'music.not_configured');
    await refuses(() => service.setAlwaysOn(GuildId, true), 'music.not_configured');
    assert.deepEqual(await service.autocomplete('song'), []);
    service.membersChanged(GuildId, VoiceChannelId, 0);
    await service.guildGone(GuildId);
    assert.equal(service.voiceChannelOf(GuildId), undefined);
    assert.deepEqual(service.snapshots(), []);
  });
});
