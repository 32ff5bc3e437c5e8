import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuildQueue } from '../../src/music/GuildQueue.js';
import { MusicError } from '../../src/music/MusicError.js';
import { resolveMusicLimits } from '../../src/music/MusicLimits.js';
import { alice, bob, ids, track, tracks } from './trackFixtures.js';

function refusedWith(identifier: string) {
  return (error: unknown) => error instanceof MusicError && error.identifier === identifier;
}

/** A queue holding t1..tN, with t1 playing when `start` is true. */
function queueOf(count: number, start = true): GuildQueue {
  const queue = new GuildQueue('g1');
  queue.addMany(tracks(count));
  if (start) queue.next();
  return queue;
}

describe('GuildQueue: adding', () => {
  it('starts empty and idle with default settings', () => {
    const queue = new GuildQueue('g1');
    assert.equal(queue.current, null);
    assert.equal(queue.size, 0);
    assert.equal(queue.loop, 'off');
    assert.equal(queue.volume, 100);
    assert.equal(queue.filter, 'off');
    assert.equal(queue.paused, false);
    assert.equal(queue.alwaysOn, false);
  });

  it('appends tracks and says where the first one landed', () => {
    const queue = new GuildQueue('g1');
    assert.equal(queue.add(track('a')).position, 0);
    const result = queue.addMany([track('b'), track('c')]);
    assert.equal(result.position, 1);
    assert.deepEqual(ids(queue.upcoming), ['a', 'b', 'c']);
    assert.equal(queue.upcomingLengthMs, 3 * 180_000);
  });

  it('enforces the limits and reports a trimmed playlist', () => {
    const queue = new GuildQueue('g1', { limits: resolveMusicLimits({ maxQueueLength: 4 }) });
    queue.add(track('a', bob));
    const result = queue.addMany(tracks(5), { playlist: true });
    assert.equal(result.accepted.length, 3);
    assert.equal(result.trimmed, 2);
    assert.throws(() => queue.add(track('z')), refusedWith('queue.full'));
  });

  it('counts the member share per requester', () => {
    const queue = new GuildQueue('g1', {
      limits: resolveMusicLimits({ maxQueueLength: 4, maxMemberSharePercent: 50 }),
    });
    queue.addMany(tracks(2, alice));
    assert.throws(() => queue.add(track('x', alice)), refusedWith('member.share_exceeded'));
    queue.add(track('y', bob));
    assert.equal(queue.waitingFor(alice.id), 2);
    assert.equal(queue.waitingFor(bob.id), 1);
  });
});

describe('GuildQueue: moving on', () => {
  it('takes the first waiting track when idle, and plays through to the end', () => {
    const queue = queueOf(2, false);
    assert.equal(queue.next()?.identifier, 't1');
    assert.equal(queue.next()?.identifier, 't2');
    assert.equal(queue.next(), null);
    assert.equal(queue.current, null);
    assert.deepEqual(ids(queue.history), ['t1', 't2']);
  });

  it('GIVEN loop track WHEN the track finishes THEN it plays again, and the history does not fill with repeats', () => {
    const queue = queueOf(2);
    queue.setLoop('track');
    assert.equal(queue.next()?.identifier, 't1');
    assert.equal(queue.next()?.identifier, 't1');
    assert.deepEqual(ids(queue.history), []);
  });

  it('GIVEN loop track WHEN a member skips THEN the next track plays', () => {
    const queue = queueOf(2);
    queue.setLoop('track');
    assert.equal(queue.skip()?.identifier, 't2');
  });

  it('GIVEN loop queue WHEN tracks finish THEN each goes to the end and the queue never runs out', () => {
    const queue = queueOf(3);
    queue.setLoop('queue');
    const played = [queue.current, queue.next(), queue.next(), queue.next(), queue.next()];
    assert.deepEqual(ids(played), ['t1', 't2', 't3', 't1', 't2']);
  });

  it('GIVEN loop queue with one track THEN that track repeats', () => {
    const queue = queueOf(1);
    queue.setLoop('queue');
    assert.equal(queue.next()?.identifier, 't1');
  });

  it('never repeats or requeues a track that failed, whatever the loop mode', () => {
    for (const mode of ['track', 'queue'] as const) {
      const queue = queueOf(2);
      queue.setLoop(mode);
      assert.equal(queue.advance('failed')?.identifier, 't2', mode);
      assert.deepEqual(ids(queue.upcoming), [], mode);
    }
  });

  it('refuses to skip when nothing is playing', () => {
    assert.throws(() => new GuildQueue('g1').skip(), refusedWith('nothing.playing'));
  });

  it('bounds the history, dropping the oldest', () => {
    const queue = new GuildQueue('g1', { maxHistory: 3 });
    queue.addMany(tracks(6));
    for (let i = 0; i < 6; i++) queue.next();
    assert.equal(queue.current?.identifier, 't6');
    assert.deepEqual(ids(queue.history), ['t3', 't4', 't5']);
  });
});

describe('GuildQueue: previous', () => {
  it('goes back one track and puts the current one next', () => {
    const queue = queueOf(3);
    queue.next();
    assert.equal(queue.previous().identifier, 't1');
    assert.deepEqual(ids([queue.current, ...queue.upcoming]), ['t1', 't2', 't3']);
    assert.deepEqual(ids(queue.history), []);
  });

  it('replays the last track after the queue ran out', () => {
    const queue = queueOf(1);
    queue.next();
    assert.equal(queue.previous().identifier, 't1');
    assert.deepEqual(ids(queue.upcoming), []);
  });

  it('GIVEN loop queue THEN the previous track is taken out of the end, not duplicated', () => {
    const queue = queueOf(3);
    queue.setLoop('queue');
    queue.next();
    queue.add(track('late'));
    assert.equal(queue.previous().identifier, 't1');
    assert.deepEqual(ids([queue.current, ...queue.upcoming]), ['t1', 't2', 't3', 'late']);
  });

  it('refuses when there is nothing to go back to', () => {
    assert.throws(() => queueOf(2).previous(), refusedWith('history.empty'));
  });
});

describe('GuildQueue: editing', () => {
  it('removes by 0-based index and returns the track', () => {
    const queue = queueOf(4);
    assert.equal(queue.remove(1).identifier, 't3');
    assert.deepEqual(ids(queue.upcoming), ['t2', 't4']);
  });

  it('refuses indexes outside the queue, reporting the 1-based position users see', () => {
    const queue = queueOf(3);
    for (const index of [-1, 2, 1.5, Number.NaN]) {
      assert.throws(
        () => queue.remove(index),
        (error: unknown) =>
          error instanceof MusicError && error.identifier === 'queue.index_out_of_range' && error.context.length === 2,
      );
    }
    assert.throws(
      () => queue.remove(5),
      (error: unknown) => error instanceof MusicError && error.context.position === 6,
    );
  });

  it('refuses to edit an empty queue with queue.empty', () => {
    const queue = queueOf(1);
    assert.throws(() => queue.remove(0), refusedWith('queue.empty'));
    assert.throws(() => queue.move(0, 0), refusedWith('queue.empty'));
    assert.throws(() => queue.shuffle(), refusedWith('queue.empty'));
  });

  it('moves a track forwards and backwards', () => {
    const queue = queueOf(5);
    assert.equal(queue.move(0, 3).identifier, 't2');
    assert.deepEqual(ids(queue.upcoming), ['t3', 't4', 't5', 't2']);
    queue.move(3, 0);
    assert.deepEqual(ids(queue.upcoming), ['t2', 't3', 't4', 't5']);
    assert.throws(() => queue.move(0, 4), refusedWith('queue.index_out_of_range'));
  });

  it('clears the waiting tracks but keeps the current one', () => {
    const queue = queueOf(4);
    assert.equal(queue.clear(), 3);
    assert.equal(queue.current?.identifier, 't1');
    assert.equal(queue.size, 0);
  });

  it('stops: the current track goes to the history and the queue empties', () => {
    const queue = queueOf(3);
    queue.setPaused(true);
    assert.equal(queue.stop(), 2);
    assert.equal(queue.current, null);
    assert.equal(queue.paused, false);
    assert.deepEqual(ids(queue.history), ['t1']);
  });
});

describe('GuildQueue: shuffle', () => {
  it('is a Fisher-Yates shuffle driven by the injected random source', () => {
    const queue = new GuildQueue('g1', { random: () => 0 });
    queue.addMany(tracks(4));
    queue.shuffle();
    // With random() = 0 every step swaps position i with 0: [1,2,3,4] -> [4,2,3,1] -> [3,2,4,1] -> [2,3,4,1]
    assert.deepEqual(ids(queue.upcoming), ['t2', 't3', 't4', 't1']);
  });

  it('leaves the order alone when every draw picks the same position', () => {
    const queue = new GuildQueue('g1', { random: () => 0.999_999 });
    queue.addMany(tracks(4));
    queue.shuffle();
    assert.deepEqual(ids(queue.upcoming), ['t1', 't2', 't3', 't4']);
  });

  it('never indexes past the end, even with a broken random source returning 1', () => {
    const queue = new GuildQueue('g1', { random: () => 1 });
    queue.addMany(tracks(3));
    queue.shuffle();
    assert.deepEqual(ids(queue.upcoming), ['t1', 't2', 't3']);
  });

  it('produces every order of three tracks about equally often', () => {
    let state = 42;
    // mulberry32: deterministic and uniform enough to reveal a biased shuffle.
    const random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const counts = new Map<string, number>();
    for (let i = 0; i < 6_000; i++) {
      const queue = new GuildQueue('g1', { random });
      queue.addMany(tracks(3));
      queue.shuffle();
      const order = ids(queue.upcoming).join(',');
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    assert.equal(counts.size, 6);
    for (const [order, count] of counts) assert.ok(count > 850 && count < 1_150, `${order}: ${count}`);
  });

  it('keeps the current track where it is', () => {
    const queue = queueOf(5);
    queue.shuffle();
    assert.equal(queue.current?.identifier, 't1');
    assert.equal(queue.size, 4);
  });
});

describe('GuildQueue: settings', () => {
  it('accepts volumes 0-200 in whole numbers', () => {
    const queue = new GuildQueue('g1');
    queue.setVolume(0);
    queue.setVolume(200);
    assert.equal(queue.volume, 200);
    for (const bad of [-1, 201, 50.5, Number.NaN])
      assert.throws(() => queue.setVolume(bad), refusedWith('volume.out_of_range'));
  });

  it('accepts known filter presets only', () => {
    const queue = new GuildQueue('g1');
    queue.setFilter('nightcore');
    assert.equal(queue.filter, 'nightcore');
    assert.throws(() => queue.setFilter('earrape'), refusedWith('filter.unknown'));
  });

  it('refuses an unknown loop mode at run time', () => {
    assert.throws(() => new GuildQueue('g1').setLoop('forever' as never), RangeError);
  });

  it('keeps the 24/7 flag and the channels', () => {
    const queue = new GuildQueue('g1');
    queue.setAlwaysOn(true);
    queue.setVoiceChannel('v1');
    queue.setTextChannel('t1');
    assert.deepEqual([queue.alwaysOn, queue.voiceChannelId, queue.textChannelId], [true, 'v1', 't1']);
  });
});

describe('GuildQueue: seek', () => {
  it('returns a valid target as whole milliseconds', () => {
    assert.equal(queueOf(1).validateSeek(90_000.7), 90_000);
  });

  it('refuses past the end, before the start, on streams and when idle', () => {
    assert.throws(() => queueOf(1).validateSeek(180_000), refusedWith('seek.out_of_range'));
    assert.throws(() => queueOf(1).validateSeek(-1), refusedWith('seek.out_of_range'));
    assert.throws(() => new GuildQueue('g1').validateSeek(0), refusedWith('nothing.playing'));
    const radio = new GuildQueue('g1');
    radio.add(track('radio', alice, { isStream: true, isSeekable: false }));
    radio.next();
    assert.throws(() => radio.validateSeek(0), refusedWith('track.not_seekable'));
  });
});

describe('GuildQueue: copies', () => {
  it('hands out copies, so a caller cannot change the queue behind its back', () => {
    const queue = queueOf(3);
    (queue.upcoming as unknown as unknown[]).length = 0;
    (queue.history as unknown as unknown[]).push('junk');
    assert.equal(queue.size, 2);
    assert.equal(queue.history.length, 0);
  });
});
