import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MaxSearchResults, searchResultsMessage } from '../../../src/discord/presenters/searchResultsMessage.js';
import { loadedTrack } from '../../music/trackFixtures.js';

interface Select {
  custom_id: string;
  options: { label: string; description?: string; value: string }[];
}

describe('searchResultsMessage', () => {
  const results = Array.from({ length: 12 }, (_, i) => loadedTrack(`r${i + 1}`));

  it('offers at most ten results in a select menu whose custom id names the session', () => {
    const message = searchResultsMessage('123', results);
    const select = (message.components[0] as { components: Select[] }).components[0];
    assert.equal(select?.custom_id, 'search:123');
    assert.equal(select?.options.length, MaxSearchResults);
    const first = select?.options[0];
    assert.deepEqual([first?.label, first?.description, first?.value], ['1. Title r1', 'Artist · 03:00', '0']);
    assert.equal((message.embeds[0]?.description ?? '').split('\n').length, MaxSearchResults);
  });

  it('cuts long labels to Discord’s 100 characters and escapes the embed text', () => {
    const long = loadedTrack('long', { title: `*${'x'.repeat(300)}` });
    const message = searchResultsMessage('1', [long]);
    const select = (message.components[0] as { components: Select[] }).components[0];
    assert.equal(select?.options[0]?.label.length, 100);
    assert.match(message.embeds[0]?.description ?? '', /^`1\.` \*\*\\\*x+…\*\*/);
  });
});
