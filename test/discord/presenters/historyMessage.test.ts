import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlayedTrack } from '../../../src/discord/GuildDataPort.js';
import { historyMessage } from '../../../src/discord/presenters/historyMessage.js';
import { settingsMessage } from '../../../src/discord/presenters/settingsMessage.js';

function plays(count: number): PlayedTrack[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `Song ${i + 1}`,
    author: 'Artist',
    uri: `https://media.example/${i + 1}`,
    memberId: '100000000000000001',
    startedAt: new Date(1_700_000_000_000 - i * 60_000),
    playedMs: 1_000,
  }));
}

function buttons(message: ReturnType<typeof historyMessage>) {
  const row = message.components[0] as { components: { custom_id: string; disabled?: boolean }[] } | undefined;
  return row?.components.map((b) => [b.custom_id, b.disabled ?? false]) ?? [];
}

describe('historyMessage', () => {
  it('lists ten plays a page, newest first, with who queued them and when, and buttons to the other pages', () => {
    const message = historyMessage(plays(23), 2);
    const [embed] = message.embeds;
    const lines = (embed?.description ?? '').split('\n');
    assert.equal(lines.length, 10);
    assert.equal(
      lines[0],
      '`11.` [Song 11](https://media.example/11) · Artist · <@100000000000000001> · <t:1699999400:R>',
    );
    assert.equal(embed?.footer?.text, 'Page 2/3 · 23 plays');
    assert.deepEqual(buttons(message), [
      ['history:1', false],
      ['history:3', false],
    ]);
    assert.deepEqual(message.allowedMentions, { parse: [] });
  });

  it('clamps the page, and has no buttons when everything fits on one', () => {
    const message = historyMessage(plays(3), 9);
    assert.equal(message.embeds[0]?.footer?.text, 'Page 1/1 · 3 plays');
    assert.deepEqual(buttons(message), []);
    assert.match(historyMessage([], 1).embeds[0]?.description ?? '', /^Nothing has been played here yet/);
  });

  it('escapes titles and authors from outside, and never renders a member id that is not a snowflake', () => {
    const [hostile] = plays(1);
    const message = historyMessage(
      [{ ...hostile!, title: '@everyone **FREE** [x](http://evil)', author: '<@1> _a_', memberId: 'not-an-id' }],
      1,
    );
    const line = message.embeds[0]?.description ?? '';
    assert.ok(line.includes('@\u200beveryone \\*\\*FREE\\*\\* \\[x\\](http://evil)'), line);
    assert.ok(line.includes('\\<@\u200b1\\> \\_a\\_'), line);
    assert.ok(!line.includes('<@not-an-id>'));
  });
});

describe('settingsMessage', () => {
  it('shows each setting, or the default it falls back to', () => {
    const defaults = { defaultVolume: 100, throttlePerMinute: 20 };
    const none = settingsMessage(
      { djRoleId: null, defaultVolume: null, alwaysOnChannelId: null, throttlePerMinute: null },
      defaults,
    );
    assert.deepEqual(
      none.embeds[0]?.fields?.map((f) => [f.name, f.value]),
      [
        ['DJ role', 'none: everyone in my voice channel can control the music'],
        ['Default volume', '100% (default)'],
        ['24/7 channel', 'none'],
        ['Command limit', '20 per member per minute (default)'],
      ],
    );
    const set = settingsMessage(
      {
        djRoleId: '300000000000000001',
        defaultVolume: 40,
        alwaysOnChannelId: '400000000000000001',
        throttlePerMinute: 5,
      },
      defaults,
    );
    assert.deepEqual(
      set.embeds[0]?.fields?.map((f) => f.value),
      [
        '<@&300000000000000001>: only members with it (or Manage Server) can control the music',
        '40%',
        '<#400000000000000001>',
        '5 per member per minute',
      ],
    );
  });
});

describe('historyMessage with hostile links', () => {
  it('GIVEN plays whose links were padded and percent-encoded THEN the page still renders, titles unlinked', () => {
    const long = `https://media.example/${'%F0%9F%8E%B5'.repeat(250)}`;
    const [embed] = historyMessage(
      plays(10).map((play) => ({ ...play, uri: long })),
      1,
    ).embeds;
    const description = embed?.description ?? '';
    assert.ok(description.length <= 4096, `description is ${description.length} characters`);
    assert.ok(!description.includes('media.example'));
    assert.match(description, /`1\.` Song 1 · Artist/);
  });
});
