import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import { createHarness, ended, GuildId, playRequest, searchable, settle, started } from './musicServiceHarness.js';
import { loadedTrack } from './trackFixtures.js';

const telemetry = new InMemoryTelemetry();
const Origin = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

function trackSpans() {
  return telemetry.spans('track play');
}

describe('MusicService telemetry: the track play span', () => {
  beforeEach(() => telemetry.reset());

  it('runs from TrackStart to TrackEnd as a root span linked to the command that queued the track', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'song');
    // The command span is active while the track is queued and starts; the track span must still be a root.
    await trace.getTracer('test').startActiveSpan('command play', async (command) => {
      await h.service.play(playRequest('song', { origin: Origin }));
      started(h.player());
      command.end();
    });
    assert.equal(trackSpans().length, 0, 'not ended before the track ends');

    ended(h.player());
    await settle();

    const [span] = trackSpans();
    assert.ok(span);
    assert.equal(span.kind, SpanKind.INTERNAL);
    assert.equal(span.parentSpanContext, undefined);
    assert.notEqual(span.spanContext().traceId, telemetry.spans('command play')[0]?.spanContext().traceId);
    assert.deepEqual(
      span.links.map((link) => link.context),
      [{ ...Origin, traceFlags: TraceFlags.SAMPLED, isRemote: true }],
    );
    assert.deepEqual(span.attributes, {
      'discord.guild.id': GuildId,
      'lavalink.node': 'fake-node',
      'metronome.track.source': 'youtube',
      'metronome.track.length_ms': 180_000,
      'metronome.track.end_reason': 'finished',
    });
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  it('has no link when the track has no origin, and none for a malformed one', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    await h.service.play(playRequest('a'));
    await h.service.play(playRequest('b', { origin: { traceId: 'nope', spanId: 'nope' } }));
    started(h.player());
    ended(h.player());
    await settle();
    started(h.player());
    ended(h.player());
    await settle();
    assert.deepEqual(
      trackSpans().map((s) => s.links.length),
      [0, 0],
    );
  });

  it('ends in error with the exception recorded when the track throws', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    const encoded = started(h.player());
    h.player().emit({ type: 'exception', encoded, message: 'video unavailable', severity: 'common' });
    await settle();

    const [span] = trackSpans();
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
    assert.equal(span?.attributes['metronome.track.end_reason'], 'exception');
    assert.equal(span?.attributes['error.type'], 'TrackPlaybackError');
    assert.equal(span?.events[0]?.name, 'exception');
  });

  it('says why the track stopped when a member skips, stops or the bot leaves', async () => {
    await using h = createHarness();
    for (const q of ['a', 'b']) {
      searchable(h.gateway, q);
      await h.service.play(playRequest(q));
    }
    started(h.player());
    await h.service.skip(GuildId);
    started(h.player());
    await h.service.stop(GuildId);
    searchable(h.gateway, 'c');
    await h.service.play(playRequest('c'));
    started(h.player());
    await h.service.leave(GuildId);
    assert.deepEqual(
      trackSpans().map((s) => s.attributes['metronome.track.end_reason']),
      ['skipped', 'stopped', 'disconnected'],
    );
  });

  it('keeps one span when the same track starts again without ending (a resume after failover)', async () => {
    await using h = createHarness();
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    started(h.player());
    started(h.player());
    ended(h.player());
    await settle();
    assert.equal(trackSpans().length, 1);
  });
});

describe('MusicService telemetry: metrics', () => {
  it('counts every player event with its end reason', async () => {
    await using h = createHarness();
    const count = (event: string, reason: string) => telemetry.total('metronome.track.events', { event, reason });
    const before = {
      start: await count('start', ''),
      finished: await count('end', 'finished'),
      exception: await count('exception', ''),
      closed: await count('closed', ''),
    };
    for (const q of ['a', 'b']) {
      searchable(h.gateway, q);
      await h.service.play(playRequest(q));
    }
    started(h.player());
    ended(h.player());
    await settle();
    const encoded = started(h.player());
    h.player().emit({ type: 'exception', encoded, message: 'boom', severity: 'fault' });
    h.player().emit({ type: 'closed', code: 4014, reason: 'Disconnected', byRemote: true });

    assert.equal(await count('start', ''), before.start + 2);
    assert.equal(await count('end', 'finished'), before.finished + 1);
    assert.equal(await count('exception', ''), before.exception + 1);
    assert.equal(await count('closed', ''), before.closed + 1);
  });

  it('times loads by source and result, including empty results and transport failures', async () => {
    await using h = createHarness();
    const loads = (source: string, result: string) =>
      telemetry.total('metronome.track.load.duration', { source, result });
    const before = {
      search: await loads('youtube', 'search'),
      playlist: await loads('soundcloud', 'playlist'),
      empty: await loads('youtube', 'empty'),
      error: await loads('unknown', 'error'),
    };
    h.gateway.onLoad = () => {
      h.clock.ms += 250;
    };
    searchable(h.gateway, 'song');
    h.gateway.playlist('https://media.example/set', 'Set', [loadedTrack('s1', { sourceName: 'soundcloud' })]);

    await h.service.play(playRequest('song'));
    await h.service.play(playRequest('https://media.example/set'));
    await assert.rejects(h.service.play(playRequest('no such thing')));
    h.gateway.loadError = new Error('ECONNRESET');
    await assert.rejects(h.service.play(playRequest('https://media.example/down')));

    assert.equal(await loads('youtube', 'search'), before.search + 1);
    assert.equal(await loads('soundcloud', 'playlist'), before.playlist + 1);
    assert.equal(await loads('youtube', 'empty'), before.empty + 1);
    assert.equal(await loads('unknown', 'error'), before.error + 1);
    const point = (await telemetry.points('metronome.track.load.duration')).find(
      (p) => p.attributes.result === 'playlist',
    );
    assert.equal(point?.unit, 's');
    assert.equal((point?.value as { sum: number } | undefined)?.sum, 0.25);
  });

  it('adds the seconds actually played, pauses excluded, by source', async () => {
    await using h = createHarness();
    const playback = () => telemetry.total('metronome.playback.time', { source: 'youtube' });
    const before = await playback();
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    started(h.player());
    h.clock.ms += 30_000;
    await h.service.pause(GuildId);
    h.clock.ms += 10_000;
    await h.service.resume(GuildId);
    h.clock.ms += 20_000;
    ended(h.player());
    await settle();
    assert.equal(await playback(), before + 50);
  });

  it('counts voice connection attempts by outcome', async () => {
    await using h = createHarness();
    const attempts = (outcome: string) => telemetry.total('metronome.voice.connection.attempts', { outcome });
    const before = { success: await attempts('success'), error: await attempts('error') };
    searchable(h.gateway, 'song');
    h.gateway.joinError = new Error('timeout');
    await assert.rejects(h.service.play(playRequest('song')));
    h.gateway.joinError = null;
    await h.service.play(playRequest('song'));
    assert.deepEqual(
      { success: await attempts('success'), error: await attempts('error') },
      { success: before.success + 1, error: before.error + 1 },
    );
  });

  it('observes players by node and state, the tracks waiting and the voice connections', async () => {
    const gauge = async (name: string, match: Record<string, unknown> = {}) => {
      const points = await telemetry.points(name);
      return points.find((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))?.value;
    };
    const h = createHarness();
    for (const q of ['a', 'b', 'c']) {
      searchable(h.gateway, q);
      await h.service.play(playRequest(q));
    }
    await h.service.play(playRequest('a', { guildId: '300000000000000002' }));
    await h.service.stop('300000000000000002');

    assert.equal(await gauge('metronome.player.count', { 'lavalink.node': 'fake-node', state: 'playing' }), 1);
    assert.equal(await gauge('metronome.player.count', { 'lavalink.node': 'fake-node', state: 'idle' }), 1);
    assert.equal(await gauge('metronome.player.count', { 'lavalink.node': 'fake-node', state: 'paused' }), 0);
    assert.equal(await gauge('metronome.queue.tracks'), 2);
    assert.equal(await gauge('metronome.voice.connections'), 2);

    await h.service.pause(GuildId);
    assert.equal(await gauge('metronome.player.count', { state: 'paused' }), 1);

    await h.service.leave(GuildId);
    await h.service.leave('300000000000000002');
    assert.equal(await gauge('metronome.player.count', { state: 'playing' }), 0, 'a drained node reads 0');
    assert.equal(await gauge('metronome.queue.tracks'), 0);
    assert.equal(await gauge('metronome.voice.connections'), 0);
    await h.service.close();
  });
});
