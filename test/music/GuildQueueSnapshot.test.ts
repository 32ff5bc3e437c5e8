import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuildQueue } from '../../src/music/GuildQueue.js';
import { parseGuildQueueSnapshot } from '../../src/music/GuildQueueSnapshot.js';
import { resolveMusicLimits } from '../../src/music/MusicLimits.js';
import { createTrack } from '../../src/music/Track.js';
import { bob, ids, loadedTrack, tracks } from './trackFixtures.js';

/** A queue with every piece of state set away from its default. */
function busyQueue(): GuildQueue {
  const queue = new GuildQueue('g1');
  queue.add(createTrack(loadedTrack('traced'), bob, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }));
  queue.addMany(tracks(4));
  queue.next();
  queue.next();
  queue.setLoop('queue');
  queue.setVolume(150);
  queue.setFilter('8d');
  queue.setPaused(true);
  queue.setAlwaysOn(true);
  queue.setVoiceChannel('voice-1');
  queue.setTextChannel('text-1');
  return queue;
}

describe('GuildQueue snapshots', () => {
  it('capture the whole state as plain JSON that survives a round trip unchanged', () => {
    const snapshot = busyQueue().snapshot(42_000.9);
    const json = JSON.parse(JSON.stringify(snapshot));
    assert.deepEqual(json, snapshot);
    assert.equal(snapshot.version, 1);
    assert.equal(snapshot.positionMs, 42_000);
    assert.equal(snapshot.current?.identifier, 't1');
    assert.deepEqual(ids(snapshot.upcoming), ['t2', 't3', 't4']);
    assert.deepEqual(ids(snapshot.history), ['traced']);
    assert.deepEqual(snapshot.history[0]?.origin, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
  });

  it('GIVEN a snapshot stored as JSON WHEN it is parsed and restored THEN the queue is as it was', () => {
    const original = busyQueue();
    const restored = GuildQueue.restore(parseGuildQueueSnapshot(JSON.parse(JSON.stringify(original.snapshot(7_000)))));
    assert.deepEqual(restored.snapshot(7_000), original.snapshot(7_000));
    assert.equal(restored.next()?.identifier, 't2');
  });

  it('are detached from the queue: later changes do not leak into an earlier snapshot', () => {
    const queue = busyQueue();
    const snapshot = queue.snapshot();
    queue.clear();
    queue.next();
    assert.deepEqual(ids(snapshot.upcoming), ['t2', 't3', 't4']);
  });

  it('record position 0 when nothing is playing', () => {
    assert.equal(new GuildQueue('g1').snapshot(5_000).positionMs, 0);
  });

  it('restore keeps a queue longer than the current limits, and the limits apply to the next addition', () => {
    const snapshot = busyQueue().snapshot();
    const restored = GuildQueue.restore(snapshot, { limits: resolveMusicLimits({ maxQueueLength: 1 }) });
    assert.equal(restored.size, 3);
    assert.throws(() => restored.addMany(tracks(1, bob, 'n')), /queue is full/);
  });

  it('restore bounds the history to the configured size', () => {
    const queue = new GuildQueue('g1');
    queue.addMany(tracks(10));
    for (let i = 0; i < 10; i++) queue.next();
    const restored = GuildQueue.restore(queue.snapshot(), { maxHistory: 2 });
    assert.deepEqual(ids(restored.history), ['t8', 't9']);
  });

  it('GIVEN a restored queue in loop queue WHEN going back THEN the requeued copy is taken out, not duplicated', () => {
    const queue = busyQueue();
    queue.next(); // t1 is requeued at the end and recorded in the history
    const restored = GuildQueue.restore(parseGuildQueueSnapshot(JSON.parse(JSON.stringify(queue.snapshot()))));
    assert.equal(restored.previous().identifier, 't1');
    assert.deepEqual(ids([restored.current, ...restored.upcoming]), ['t1', 't2', 't3', 't4']);
  });

  it('restored tracks are frozen like fresh ones', () => {
    const restored = GuildQueue.restore(parseGuildQueueSnapshot(JSON.parse(JSON.stringify(busyQueue().snapshot()))));
    assert.ok(Object.isFrozen(restored.current));
    assert.ok(restored.upcoming.every((t) => Object.isFrozen(t) && Object.isFrozen(t.requester)));
  });
});

describe('parseGuildQueueSnapshot', () => {
  const valid = () => JSON.parse(JSON.stringify(busyQueue().snapshot()));

  it('accepts what snapshot() produced and drops unknown fields', () => {
    const parsed = parseGuildQueueSnapshot({ ...valid(), futureField: true });
    assert.equal(Object.hasOwn(parsed, 'futureField'), false);
  });

  it('refuses stored data that is not a valid snapshot, naming the field', () => {
    assert.throws(() => parseGuildQueueSnapshot({ ...valid(), volume: 999 }), /volume/);
    assert.throws(() => parseGuildQueueSnapshot({ ...valid(), loop: 'forever' }), /loop/);
    assert.throws(() => parseGuildQueueSnapshot({ ...valid(), filter: 'earrape' }), /filter/);
    assert.throws(() => parseGuildQueueSnapshot({ ...valid(), version: 2 }), /version/);
    assert.throws(() => parseGuildQueueSnapshot({ ...valid(), upcoming: [{ title: 'x' }] }), /upcoming\.0\./);
    assert.throws(() => parseGuildQueueSnapshot(null), TypeError);
  });
});
