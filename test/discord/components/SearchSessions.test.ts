import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCustomId } from '../../../src/discord/components/ComponentHandler.js';
import { nextLoopMode } from '../../../src/discord/components/nowPlayingControls.js';
import { SearchSessions } from '../../../src/discord/components/SearchSessions.js';
import { loadedTrack } from '../../music/trackFixtures.js';

const session = { ownerId: 'u1', guildId: 'g1', tracks: [loadedTrack('a')] };

describe('SearchSessions', () => {
  it('keeps results until they expire', () => {
    let now = 0;
    const sessions = new SearchSessions({ ttlMs: 1_000, now: () => now });
    sessions.add('s1', session);
    assert.equal(sessions.get('s1')?.ownerId, 'u1');
    now = 999;
    assert.ok(sessions.get('s1'));
    now = 1_000;
    assert.equal(sessions.get('s1'), undefined);
    assert.equal(sessions.size, 0);
  });

  it('drops the oldest sessions beyond the maximum', () => {
    const sessions = new SearchSessions({ maxSessions: 2, now: () => 0 });
    sessions.add('s1', session);
    sessions.add('s2', session);
    sessions.add('s3', session);
    assert.equal(sessions.get('s1'), undefined);
    assert.ok(sessions.get('s2') && sessions.get('s3'));
  });

  it('sweeps expired sessions when new ones arrive, so memory stays bounded', () => {
    let now = 0;
    const sessions = new SearchSessions({ ttlMs: 10, now: () => now });
    for (let i = 0; i < 100; i++) sessions.add(`s${i}`, session);
    now = 10;
    sessions.add('fresh', session);
    assert.equal(sessions.size, 1);
  });

  it('forgets a session once picked', () => {
    const sessions = new SearchSessions();
    sessions.add('s1', session);
    sessions.delete('s1');
    assert.equal(sessions.get('s1'), undefined);
  });
});

describe('parseCustomId', () => {
  it('splits kind and argument at the first colon', () => {
    assert.deepEqual(parseCustomId('np:pause'), { kind: 'np', argument: 'pause' });
    assert.deepEqual(parseCustomId('search:123:4'), { kind: 'search', argument: '123:4' });
    assert.deepEqual(parseCustomId('plain'), { kind: 'plain', argument: '' });
  });
});

describe('nextLoopMode', () => {
  it('cycles off, track, queue', () => {
    assert.deepEqual([nextLoopMode('off'), nextLoopMode('track'), nextLoopMode('queue')], ['track', 'queue', 'off']);
  });
});
