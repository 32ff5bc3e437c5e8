import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMusicMessage, MusicError, MusicMessages } from '../../src/music/MusicError.js';

describe('MusicError', () => {
  it('carries its identifier and context, and its message is the friendly text', () => {
    const error = new MusicError('queue.full', { limit: 500 });
    assert.equal(error.name, 'MusicError');
    assert.equal(error.identifier, 'queue.full');
    assert.deepEqual(error.context, { limit: 500 });
    assert.equal(error.message, 'The queue is full (500 tracks). Remove a few or wait for some to play.');
    assert.ok(error instanceof Error);
  });

  it('fills the placeholders from the context', () => {
    assert.equal(
      formatMusicMessage('queue.index_out_of_range', { position: 7, length: 3 }),
      'There is no track at position 7: the queue has 3.',
    );
    assert.equal(formatMusicMessage('queue.full'), MusicMessages['queue.full']);
  });

  it('leaves a placeholder without a value as written, so the gap shows in tests rather than as "undefined"', () => {
    assert.equal(formatMusicMessage('volume.out_of_range', {}), 'Volume must be a whole number from 0 to {max}.');
  });

  it('has a short, sentence-like message for every identifier', () => {
    for (const [identifier, message] of Object.entries(MusicMessages)) {
      assert.match(identifier, /^[a-z]+\.[a-z_]+$/, identifier);
      assert.match(message, /^[A-Z].*\.$/, identifier);
      assert.ok(message.length <= 200, identifier);
    }
  });
});
