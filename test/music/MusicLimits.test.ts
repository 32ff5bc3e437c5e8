import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MusicError } from '../../src/music/MusicError.js';
import {
  DefaultMusicLimits,
  isTooLong,
  memberTrackLimit,
  planAddition,
  resolveMusicLimits,
} from '../../src/music/MusicLimits.js';
import { loadedTrack } from './trackFixtures.js';

const limits = resolveMusicLimits({
  maxQueueLength: 10,
  maxTrackLengthMs: 600_000,
  maxPlaylistSize: 8,
  maxMemberSharePercent: 50,
});
const empty = { waiting: 0, waitingByMember: 0 };
const batch = (count: number) => Array.from({ length: count }, (_, i) => loadedTrack(`p${i + 1}`));

function refusedWith(identifier: string, context?: Record<string, unknown>) {
  return (error: unknown) => {
    assert.ok(error instanceof MusicError, String(error));
    assert.equal(error.identifier, identifier);
    if (context) for (const [key, value] of Object.entries(context)) assert.equal(error.context[key], value, key);
    return true;
  };
}

describe('resolveMusicLimits', () => {
  it('uses the defaults for anything not given', () => {
    assert.deepEqual(resolveMusicLimits(), DefaultMusicLimits);
    assert.deepEqual(resolveMusicLimits({ maxQueueLength: 20, maxPlaylistSize: undefined }), {
      ...DefaultMusicLimits,
      maxQueueLength: 20,
    });
  });

  it('refuses negative, fractional and non-numeric limits, naming the field', () => {
    assert.throws(() => resolveMusicLimits({ maxQueueLength: -1 }), /maxQueueLength/);
    assert.throws(() => resolveMusicLimits({ maxTrackLengthMs: 1.5 }), /maxTrackLengthMs/);
    assert.throws(() => resolveMusicLimits({ maxPlaylistSize: Number.NaN }), /maxPlaylistSize/);
  });

  it('keeps the member share between 1 and 100 percent', () => {
    assert.throws(() => resolveMusicLimits({ maxMemberSharePercent: 0 }), RangeError);
    assert.throws(() => resolveMusicLimits({ maxMemberSharePercent: 101 }), RangeError);
  });

  it('returns frozen limits', () => {
    assert.ok(Object.isFrozen(resolveMusicLimits({ maxQueueLength: 3 })));
  });
});

describe('memberTrackLimit', () => {
  it('is a share of the queue capacity, never below one track', () => {
    assert.equal(memberTrackLimit(limits), 5);
    assert.equal(memberTrackLimit({ ...limits, maxQueueLength: 3, maxMemberSharePercent: 10 }), 1);
  });

  it('is unlimited at 100 percent or with an unlimited queue', () => {
    assert.equal(memberTrackLimit({ ...limits, maxMemberSharePercent: 100 }), Number.POSITIVE_INFINITY);
    assert.equal(memberTrackLimit({ ...limits, maxQueueLength: 0 }), Number.POSITIVE_INFINITY);
  });
});

describe('isTooLong', () => {
  it('compares the track length to the limit, never for streams, never when the limit is off', () => {
    assert.equal(isTooLong(loadedTrack('a', { lengthMs: 600_001 }), limits), true);
    assert.equal(isTooLong(loadedTrack('a', { lengthMs: 600_000 }), limits), false);
    assert.equal(isTooLong(loadedTrack('a', { lengthMs: 9e15, isStream: true }), limits), false);
    assert.equal(isTooLong(loadedTrack('a', { lengthMs: 9e15 }), { ...limits, maxTrackLengthMs: 0 }), false);
  });
});

describe('planAddition', () => {
  it('accepts a track that fits', () => {
    const plan = planAddition([loadedTrack('a')], empty, limits);
    assert.deepEqual(plan, { accepted: [loadedTrack('a')], tooLong: 0, overShare: 0, trimmed: 0 });
  });

  it('GIVEN a full queue WHEN a track is added THEN it is refused with queue.full and the limit', () => {
    assert.throws(
      () =>
        planAddition(
          [loadedTrack('a')],
          { waiting: 10, waitingByMember: 0 },
          { ...limits, maxMemberSharePercent: 100 },
        ),
      refusedWith('queue.full', { limit: 10 }),
    );
  });

  it('refuses a single track over the length limit with the limit formatted for the reply', () => {
    assert.throws(
      () => planAddition([loadedTrack('long', { lengthMs: 3_600_000 })], empty, limits),
      refusedWith('track.too_long', { limit: '10:00', limitMs: 600_000, lengthMs: 3_600_000 }),
    );
  });

  it('accepts a stream of any length', () => {
    const stream = loadedTrack('radio', { isStream: true, lengthMs: Number.MAX_SAFE_INTEGER });
    assert.equal(planAddition([stream], empty, limits).accepted.length, 1);
  });

  it('refuses a playlist larger than maxPlaylistSize as a whole', () => {
    assert.throws(
      () => planAddition(batch(9), empty, limits, { playlist: true }),
      refusedWith('playlist.too_large', { size: 9, limit: 8 }),
    );
  });

  it('does not apply the playlist size to other multi-track additions', () => {
    const plan = planAddition(batch(9), empty, { ...limits, maxMemberSharePercent: 100 });
    assert.equal(plan.accepted.length, 9);
  });

  it('GIVEN room for 3 more WHEN a playlist of 8 arrives THEN the first 3 are kept and 5 reported trimmed', () => {
    const plan = planAddition(
      batch(8),
      { waiting: 7, waitingByMember: 0 },
      { ...limits, maxMemberSharePercent: 100 },
      {
        playlist: true,
      },
    );
    assert.deepEqual(
      plan.accepted.map((t) => t.identifier),
      ['p1', 'p2', 'p3'],
    );
    assert.equal(plan.trimmed, 5);
    assert.equal(plan.overShare, 0);
  });

  it('skips the too-long tracks of a playlist and counts them', () => {
    const tracks = [loadedTrack('a'), loadedTrack('b', { lengthMs: 700_000 }), loadedTrack('c')];
    const plan = planAddition(tracks, empty, limits, { playlist: true });
    assert.deepEqual(
      plan.accepted.map((t) => t.identifier),
      ['a', 'c'],
    );
    assert.equal(plan.tooLong, 1);
  });

  it('refuses a playlist made only of too-long tracks', () => {
    const tracks = [loadedTrack('a', { lengthMs: 700_000 }), loadedTrack('b', { lengthMs: 800_000 })];
    assert.throws(() => planAddition(tracks, empty, limits, { playlist: true }), refusedWith('track.too_long'));
  });

  it('GIVEN a member holding their whole share WHEN they add THEN member.share_exceeded says how many they hold', () => {
    assert.throws(
      () => planAddition([loadedTrack('a')], { waiting: 5, waitingByMember: 5 }, limits),
      refusedWith('member.share_exceeded', { count: 5, limit: 5 }),
    );
  });

  it('cuts a playlist at the member share first, then at the queue length', () => {
    // share: 5 per member, 2 held -> 3 more; queue: 10, 8 waiting -> 2 more
    const plan = planAddition(batch(6), { waiting: 8, waitingByMember: 2 }, limits, { playlist: true });
    assert.equal(plan.accepted.length, 2);
    assert.equal(plan.overShare, 3);
    assert.equal(plan.trimmed, 1);
  });

  it('lets the first member of an empty queue add up to their share', () => {
    const plan = planAddition(batch(8), empty, limits, { playlist: true });
    assert.equal(plan.accepted.length, 5);
    assert.equal(plan.overShare, 3);
  });

  it('treats zero limits as off', () => {
    const off = resolveMusicLimits({ maxQueueLength: 0, maxTrackLengthMs: 0, maxPlaylistSize: 0 });
    const plan = planAddition(batch(1_000), { waiting: 100_000, waitingByMember: 100_000 }, off, { playlist: true });
    assert.equal(plan.accepted.length, 1_000);
  });

  it('plans nothing for nothing', () => {
    assert.deepEqual(planAddition([], empty, limits), { accepted: [], tooLong: 0, overShare: 0, trimmed: 0 });
  });
});
