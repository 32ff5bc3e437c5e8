import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filtersFor } from '../../src/music/FilterPresets.js';
import { GuildQueue } from '../../src/music/GuildQueue.js';
import { endStartsNext, type PlayerEvent, type TrackEndReason } from '../../src/music/LavalinkGateway.js';
import { validateQuery } from '../../src/music/QueryGuard.js';
import { createTrack } from '../../src/music/Track.js';
import { FakeLavalinkGateway } from './FakeLavalinkGateway.js';
import { alice, loadedTrack } from './trackFixtures.js';

describe('endStartsNext', () => {
  it('moves on only after a track finished or failed to load, as Lavalink prescribes', () => {
    const reasons: TrackEndReason[] = ['finished', 'loadFailed', 'stopped', 'replaced', 'cleanup'];
    assert.deepEqual(
      reasons.filter((reason) => endStartsNext(reason)),
      ['finished', 'loadFailed'],
    );
  });
});

describe('LavalinkGateway, implemented by a plain fake', () => {
  it('carries a whole play-through: load, queue, play, end event, next track', async () => {
    const gateway = new FakeLavalinkGateway();
    gateway.results.set('ytsearch:lofi beats', {
      kind: 'search',
      tracks: [loadedTrack('a'), loadedTrack('b')],
    });
    const queue = new GuildQueue('g1');

    const result = await gateway.load(await validateQuery('  lofi beats '));
    assert.equal(result.kind, 'search');
    queue.addMany(result.tracks.map((loaded) => createTrack(loaded, alice)));

    const player = await gateway.join({ guildId: 'g1', voiceChannelId: 'v1', shardId: 0 });
    const events: PlayerEvent[] = [];
    player.onEvent(async (event) => {
      events.push(event);
      if (event.type === 'end' && endStartsNext(event.reason)) {
        const next = queue.next();
        if (next) await player.play(next);
      }
    });

    const first = queue.next()!;
    await player.play(first, { volume: queue.volume, filters: filtersFor(queue.filter) });
    player.emit({ type: 'start', encoded: first.encoded });
    player.emit({ type: 'end', encoded: first.encoded, reason: 'finished' });
    await Promise.resolve();

    assert.deepEqual(
      player.calls.map((call) => (call.op === 'play' ? call.encoded : call.op)),
      ['enc-a', 'enc-b'],
    );
    assert.equal(queue.current?.identifier, 'b');
    assert.deepEqual(
      events.map((event) => event.type),
      ['start', 'end'],
    );
    assert.equal(gateway.player('g1'), player);
  });

  it('answers an unknown identifier with an empty result, as Lavalink does', async () => {
    const gateway = new FakeLavalinkGateway();
    const result = await gateway.load(await validateQuery('nothing matches this'));
    assert.deepEqual(result, { kind: 'empty', tracks: [] });
  });

  it('forgets a destroyed player', async () => {
    const gateway = new FakeLavalinkGateway();
    const player = await gateway.join({ guildId: 'g1', voiceChannelId: 'v1', shardId: 0 });
    await player.destroy();
    assert.equal(gateway.player('g1'), undefined);
    await assert.rejects(player.play(createTrack(loadedTrack('a'), alice)), /after destroy/);
  });
});
