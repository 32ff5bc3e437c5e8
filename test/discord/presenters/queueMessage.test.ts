import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueMessage } from '../../../src/discord/presenters/queueMessage.js';
import type { QueuePage } from '../../../src/music/MusicServiceApi.js';
import { track, tracks } from '../../music/trackFixtures.js';

function page(overrides: Partial<QueuePage> = {}): QueuePage {
  return {
    current: track('now'),
    tracks: tracks(3, { id: '5', name: 'Carol' }),
    page: 2,
    pages: 3,
    total: 23,
    totalLengthMs: 3_723_000,
    loop: 'queue',
    firstPosition: 11,
    ...overrides,
  };
}

function pageButtons(message: ReturnType<typeof queueMessage>) {
  const row = message.components[0] as { components: { custom_id: string; disabled?: boolean }[] };
  return row.components.map((b) => [b.custom_id, b.disabled ?? false]);
}

describe('queueMessage', () => {
  it('numbers the tracks from the page’s first position and shows the current track', () => {
    const [embed] = queueMessage(page()).embeds;
    const lines = (embed?.description ?? '').split('\n');
    assert.match(lines[0] ?? '', /^\*\*Now playing:\*\* \[Title now\]/);
    assert.equal(lines[2], '**Up next**');
    assert.match(lines[3] ?? '', /^`11\.` \[Title t1\]\(https:\/\/media\.example\/t1\) · `03:00` · Carol$/);
    assert.match(lines[5] ?? '', /^`13\.` /);
    assert.equal(embed?.footer?.text, 'Page 2/3 · 23 tracks · 1:02:03 · Loop: queue');
  });

  it('links to the previous and next pages with queue:<page> buttons', () => {
    assert.deepEqual(pageButtons(queueMessage(page())), [
      ['queue:1', false],
      ['queue:3', false],
    ]);
  });

  it('disables the buttons that would leave the pages there are', () => {
    assert.deepEqual(pageButtons(queueMessage(page({ page: 1, pages: 1 }))), [
      ['queue:0', true],
      ['queue:2', true],
    ]);
  });

  it('says so when nothing is waiting', () => {
    const [embed] = queueMessage(
      page({ current: null, tracks: [], total: 0, pages: 1, page: 1, totalLengthMs: 0 }),
    ).embeds;
    assert.equal(embed?.description, 'Nothing is waiting. Add tracks with /play.');
    assert.equal(embed?.footer?.text, 'Page 1/1 · 0 tracks · 00:00 · Loop: queue');
  });
});

describe('queueMessage with hostile links', () => {
  it('GIVEN ten tracks with links padded to the query limit and percent-encoded THEN the page still renders, titles unlinked', () => {
    const long = `https://media.example/${'%F0%9F%8E%B5'.repeat(250)}`;
    const hostile = tracks(10, { id: '5', name: 'Carol' }).map((t) => ({ ...t, uri: long }));
    const [embed] = queueMessage(page({ current: { ...track('now'), uri: long }, tracks: hostile })).embeds;
    const description = embed?.description ?? '';
    assert.ok(description.length <= 4096, `description is ${description.length} characters`);
    assert.ok(!description.includes('media.example'), 'links this long are left off');
    assert.match(description, /`11\.` Title t1 · `03:00` · Carol/);
  });
});
