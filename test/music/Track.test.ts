import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTrack, formatDuration, formatTrackLength, totalLengthMs } from '../../src/music/Track.js';
import { alice, loadedTrack } from './trackFixtures.js';

describe('formatDuration', () => {
  it('writes mm:ss below an hour', () => {
    assert.equal(formatDuration(0), '00:00');
    assert.equal(formatDuration(7_000), '00:07');
    assert.equal(formatDuration(187_000), '03:07');
    assert.equal(formatDuration(3_599_999), '59:59');
  });

  it('writes h:mm:ss from an hour up', () => {
    assert.equal(formatDuration(3_600_000), '1:00:00');
    assert.equal(formatDuration(3_723_000), '1:02:03');
    assert.equal(formatDuration(36 * 3_600_000 + 5_000), '36:00:05');
  });

  it('drops fractions of a second instead of rounding up', () => {
    assert.equal(formatDuration(59_999), '00:59');
  });

  it('shows nonsense (negative, NaN, infinite) as zero rather than garbage', () => {
    assert.equal(formatDuration(-5_000), '00:00');
    assert.equal(formatDuration(Number.NaN), '00:00');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), '00:00');
  });
});

describe('formatTrackLength', () => {
  it('shows LIVE for streams, whose Lavalink length is a sentinel', () => {
    assert.equal(formatTrackLength({ isStream: true, lengthMs: Number.MAX_SAFE_INTEGER }), 'LIVE');
    assert.equal(formatTrackLength({ isStream: false, lengthMs: 61_000 }), '01:01');
  });
});

describe('totalLengthMs', () => {
  it('adds up track lengths and counts streams as zero', () => {
    const total = totalLengthMs([
      { isStream: false, lengthMs: 1_000 },
      { isStream: true, lengthMs: Number.MAX_SAFE_INTEGER },
      { isStream: false, lengthMs: 2_500 },
    ]);
    assert.equal(total, 3_500);
  });
});

describe('createTrack', () => {
  it('adds the requester and origin to a loaded track and freezes the result', () => {
    const origin = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };
    const track = createTrack(loadedTrack('x'), alice, origin);
    assert.deepEqual(track.requester, alice);
    assert.deepEqual(track.origin, origin);
    assert.ok(Object.isFrozen(track));
    assert.ok(Object.isFrozen(track.requester));
    assert.ok(Object.isFrozen(track.origin));
  });

  it('leaves origin out entirely when unknown, so JSON round-trips are exact', () => {
    const track = createTrack(loadedTrack('x'), alice);
    assert.equal(Object.hasOwn(track, 'origin'), false);
    assert.deepEqual(JSON.parse(JSON.stringify(track)), track);
  });

  it('does not keep extra fields of its input, so a snapshot holds only the model', () => {
    const input = { ...loadedTrack('x'), pluginInfo: { secret: true } };
    const track = createTrack(input, alice);
    assert.equal(Object.hasOwn(track, 'pluginInfo'), false);
  });
});
