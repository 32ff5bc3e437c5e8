import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { playOutcomeMessage } from '../../../src/discord/presenters/playOutcomeMessage.js';
import type { PlayOutcome } from '../../../src/music/MusicServiceApi.js';
import { track, tracks } from '../../music/trackFixtures.js';

function outcome(overrides: Partial<PlayOutcome> = {}): PlayOutcome {
  return {
    started: false,
    tracks: [track('a')],
    position: 4,
    trimmed: 0,
    skippedTooLong: 0,
    skippedOverShare: 0,
    ...overrides,
  };
}

const describeOutcome = (o: PlayOutcome) => playOutcomeMessage(o).embeds[0]?.description ?? '';

describe('playOutcomeMessage', () => {
  it('says a single track started playing', () => {
    assert.equal(
      describeOutcome(outcome({ started: true, position: 0 })),
      '▶️ Now playing **[Title a](https://media.example/a)** by Artist · `03:00`',
    );
  });

  it('gives the queue position of a queued track', () => {
    assert.equal(
      describeOutcome(outcome()),
      '➕ Queued **[Title a](https://media.example/a)** by Artist · `03:00` at position **4**.',
    );
  });

  it('names the playlist and counts its tracks', () => {
    const text = describeOutcome(outcome({ tracks: tracks(12), playlistName: 'Mix _2_', started: true, position: 0 }));
    assert.match(text, /^📃 Added \*\*12 tracks\*\* from \*\*Mix \\_2\\_\*\*\.\n▶️ Now playing \*\*\[Title t1\]/);
  });

  it('explains every reason tracks were left out', () => {
    const text = describeOutcome(
      outcome({ tracks: tracks(3), playlistName: 'Big', trimmed: 5, skippedTooLong: 1, skippedOverShare: 2 }),
    );
    assert.match(text, /First up at position \*\*4\*\*\./);
    assert.match(text, /✂️ 5 tracks did not fit: the queue is full\./);
    assert.match(text, /⏱️ Skipped 1 track longer than the track length limit\./);
    assert.match(text, /⚖️ Skipped 2 tracks: you reached your share of the queue\./);
  });

  it('mentions nobody', () => {
    assert.deepEqual(playOutcomeMessage(outcome()).allowedMentions, { parse: [] });
  });
});
