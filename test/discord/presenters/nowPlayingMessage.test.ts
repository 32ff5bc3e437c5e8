import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NowPlayingButtonIds, nowPlayingMessage } from '../../../src/discord/presenters/nowPlayingMessage.js';
import type { NowPlaying } from '../../../src/music/MusicServiceApi.js';
import { track } from '../../music/trackFixtures.js';

function nowPlaying(overrides: Partial<NowPlaying> = {}): NowPlaying {
  return {
    track: track('a', { id: '1', name: 'Bob' }, { title: 'Song A', author: 'Band', lengthMs: 200_000 }),
    positionMs: 50_000,
    paused: false,
    loop: 'off',
    volume: 100,
    filter: 'off',
    node: 'main-eu',
    alwaysOn: false,
    ...overrides,
  };
}

function buttons(message: ReturnType<typeof nowPlayingMessage>) {
  const row = message.components[0] as { components: { custom_id: string; label: string }[] };
  return row.components;
}

describe('nowPlayingMessage', () => {
  it('links the title, names author and requester, shows progress and the node in the footer', () => {
    const message = nowPlayingMessage(nowPlaying());
    const [embed] = message.embeds;
    assert.ok(embed);
    assert.match(embed.description ?? '', /^\*\*\[Song A\]\(https:\/\/media\.example\/a\)\*\*\nby Band\n\n/);
    assert.match(embed.description ?? '', /`00:50 \/ 03:20`/);
    assert.deepEqual(
      embed.fields?.map((f) => [f.name, f.value]),
      [
        ['Requested by', 'Bob'],
        ['Volume', '100%'],
        ['Loop', 'off'],
      ],
    );
    assert.equal(embed.footer?.text, 'Node: main-eu');
    assert.equal(embed.author?.name, '🎶 Now playing');
    assert.deepEqual(message.allowedMentions, { parse: [] });
  });

  it('offers pause, skip, stop and loop buttons with the np custom ids', () => {
    assert.deepEqual(
      buttons(nowPlayingMessage(nowPlaying())).map((b) => [b.custom_id, b.label]),
      [
        [NowPlayingButtonIds.pause, 'Pause'],
        [NowPlayingButtonIds.skip, 'Skip'],
        [NowPlayingButtonIds.stop, 'Stop'],
        [NowPlayingButtonIds.loop, 'Loop: off'],
      ],
    );
  });

  it('turns the pause button into resume while paused and shows filter and 24/7 when set', () => {
    const message = nowPlayingMessage(nowPlaying({ paused: true, loop: 'queue', filter: 'nightcore', alwaysOn: true }));
    assert.equal(buttons(message)[0]?.label, 'Resume');
    assert.equal(buttons(message)[3]?.label, 'Loop: queue');
    const [embed] = message.embeds;
    assert.equal(embed?.author?.name, '⏸️ Paused');
    assert.ok(embed?.fields?.some((f) => f.name === 'Filter' && f.value === 'Nightcore'));
    assert.ok(embed?.fields?.some((f) => f.name === '24/7' && f.value === 'on'));
  });

  it('escapes markdown and mentions in title, author and requester', () => {
    const hostile = track('x', { id: '2', name: '@everyone' }, { title: '**[pwn](https://evil)**', author: '<@123>' });
    const [embed] = nowPlayingMessage(nowPlaying({ track: hostile })).embeds;
    const description = embed?.description ?? '';
    assert.ok(description.includes('\\*\\*\\[pwn\\](https://evil)\\*\\*'), description);
    assert.ok(description.includes('\\<@\u200b123\\>'), description);
    assert.equal(embed?.fields?.[0]?.value, '@\u200beveryone');
  });
});
