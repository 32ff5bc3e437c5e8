import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIMessage } from 'discord-api-types/v10';
import type { SandboxInteractionResponse } from '../../src/sandbox/discord/interactions/SandboxInteractionResponse.js';
import { loadedTrack } from '../music/trackFixtures.js';
import { description } from '../support/embedText.js';
import { MusicHarness, waitUntil } from '../support/MusicHarness.js';

/** Every custom id in a message's components, in order. */
function customIds(message: Pick<SandboxInteractionResponse | APIMessage, 'components'>): string[] {
  const ids: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as { custom_id?: string; components?: unknown };
      if (record.custom_id) ids.push(record.custom_id);
      visit(record.components);
    }
  };
  visit(message.components ?? []);
  return ids;
}

/** The announcer's live now-playing message: posted to the channel, not as an interaction reply. */
function announced(messages: readonly APIMessage[]): APIMessage | undefined {
  return messages.findLast((m) => m.interaction_metadata === undefined && customIds(m).includes('np:skip'));
}

/**
 * The music commands end to end: the real discord.js client against the sandbox Discord, the real pipeline,
 * commands, components, announcer and voice watcher, and the real MusicService on a fake Lavalink gateway.
 */
describe('GIVEN the bot with music in the sandbox guild', () => {
  let h: MusicHarness;
  const search = Array.from({ length: 12 }, (_, i) => loadedTrack(`s${i + 1}`, { title: `Never Gonna ${i + 1}` }));
  const playlist = Array.from({ length: 25 }, (_, i) => loadedTrack(`p${i + 1}`));

  before(async () => {
    h = await MusicHarness.start();
    h.gateway.results.set('ytsearch:never gonna', { kind: 'search', tracks: search });
    h.gateway.results.set('ytsearch:nev', { kind: 'search', tracks: search.slice(0, 5) });
    h.gateway.results.set('https://media.example/playlist', {
      kind: 'playlist',
      playlistName: 'Big Mix',
      tracks: playlist,
    });
  });
  after(async () => {
    await h?.stop();
  });

  it('WHEN dave, in no voice channel, runs /play THEN an ephemeral reply asks him to join one and nothing loads', async () => {
    const reply = await h.run('dave', { command: 'play', options: { query: 'never gonna' } });
    assert.equal(reply.ephemeral, true);
    assert.equal(reply.content, 'Join a voice channel first.');
    assert.deepEqual(h.gateway.loads, []);
  });

  it('WHEN carol in Lounge runs /play THEN the public reply shows the track playing', async () => {
    await h.moveMember('carol', 'Lounge');
    const reply = await h.run('carol', { command: 'play', options: { query: 'never gonna' } });
    assert.equal(reply.ephemeral, false);
    assert.match(
      description(reply),
      /^▶️ Now playing \*\*\[Never Gonna 1\]\(https:\/\/media\.example\/s1\)\*\* by Artist/,
    );
    assert.equal(h.music.voiceChannelOf(h.guild.id), h.channelId('Lounge'));
  });

  it('WHEN the track starts THEN the announcer posts the now-playing message with its buttons', async () => {
    h.startCurrentTrack();
    await waitUntil(() => announced(h.channelMessages()) !== undefined);
    const message = announced(h.channelMessages());
    assert.ok(message);
    assert.deepEqual(customIds(message), ['np:pause', 'np:skip', 'np:stop', 'np:loop']);
    assert.equal(message.embeds[0]?.footer?.text, 'Node: fake-node');
    assert.match(message.embeds[0]?.description ?? '', /Never Gonna 1/);
  });

  it('WHEN carol plays a link to a private address THEN it is refused with a clear message before Lavalink sees it', async () => {
    const run = h.start('carol', { command: 'play', options: { query: 'http://127.0.0.1/' } });
    const reply = await run.reply({ timeoutMs: 10_000 });
    assert.equal(reply.content, 'That link points to a private or reserved address, so I will not fetch it.');
    assert.ok(!h.gateway.loads.some((l) => l.includes('127.0.0.1')));
    const span = await waitFor(() =>
      h.telemetry.spans('command play').find((s) => s.attributes['discord.interaction.id'] === run.interactionId),
    );
    assert.equal(span.attributes['metronome.outcome'], 'user_error');
    assert.equal(span.status.code, 0, 'a refusal is not a span error');
  });

  it('WHEN bob plays from another voice channel THEN he is told to join the bot’s channel', async () => {
    await h.moveMember('bob', 'Music');
    const reply = await h.run('bob', { command: 'play', options: { query: 'never gonna' } });
    assert.equal(reply.ephemeral, true);
    assert.equal(reply.content, 'I am playing in another voice channel. Join it to control the music.');
  });

  it('WHEN carol plays a playlist THEN the reply names it and counts its tracks', async () => {
    const reply = await h.run('carol', { command: 'play', options: { query: 'https://media.example/playlist' } });
    assert.match(
      description(reply),
      /^📃 Added \*\*25 tracks\*\* from \*\*Big Mix\*\*\.\nFirst up at position \*\*1\*\*\./,
    );
  });

  it('WHEN carol runs /queue and clicks ▶ THEN the message turns to page 2', async () => {
    const reply = await h.run('carol', { command: 'queue' });
    assert.equal(
      reply.embeds[0]?.footer?.text?.startsWith('Page 1/3 · 25 tracks'),
      true,
      reply.embeds[0]?.footer?.text,
    );
    assert.deepEqual(customIds(reply), ['queue:0', 'queue:2']);
    const next = await h.run('dave', { type: 'button', customId: 'queue:2', messageId: reply.messageId ?? undefined });
    assert.equal(next.kind, 'update');
    assert.match(description(next), /^\*\*Now playing:\*\* .*\n\n\*\*Up next\*\*\n`11\.` /);
    assert.deepEqual(customIds(next), ['queue:1', 'queue:3']);
  });

  it('WHEN carol runs /nowplaying THEN she sees the track, a progress bar and the node', async () => {
    const reply = await h.run('carol', { command: 'nowplaying' });
    assert.match(description(reply), /Never Gonna 1[\s\S]*●[\s\S]*`00:00 \/ 03:00`/);
    assert.equal(reply.embeds[0]?.footer?.text, 'Node: fake-node');
    assert.deepEqual(customIds(reply), ['np:pause', 'np:skip', 'np:stop', 'np:loop']);
  });

  it('WHEN carol clicks skip on the now-playing message THEN the track is skipped and the next one is announced in its place', async () => {
    const before = announced(h.channelMessages());
    assert.ok(before);
    const reply = await h.run('carol', { type: 'button', customId: 'np:skip', messageId: before.id });
    assert.equal(reply.content, '⏭️ Carol skipped **Never Gonna 1**.');
    h.startCurrentTrack();
    await waitUntil(() => !h.channelMessages().some((m) => m.id === before.id));
    await waitUntil(() => announced(h.channelMessages()) !== undefined);
    const after = announced(h.channelMessages());
    assert.match(after?.embeds[0]?.description ?? '', /Title p1/);
    const span = await waitFor(() => h.telemetry.spans('component np')[0]);
    assert.equal(span.attributes['discord.component.kind'], 'np');
    assert.equal(span.attributes['metronome.outcome'], 'success');
    assert.ok((await h.telemetry.total('metronome.command.duration', { command: 'component:np' })) >= 1);
  });

  describe('WHEN the guild sets a DJ role', () => {
    before(async () => {
      const dj = h.guild.role('DJ');
      assert.ok(dj);
      h.settings.djRoles.set(h.guild.id, dj.id);
      await h.moveMember('bob', 'Lounge');
      await h.moveMember('alice', 'Lounge');
    });
    after(() => h.settings.djRoles.clear());

    it('THEN carol, without it, may not control playback, not even with the buttons', async () => {
      const reply = await h.run('carol', { command: 'pause' });
      assert.equal(reply.ephemeral, true);
      assert.match(reply.content, /only members with the DJ role/);
      const click = await h.run('carol', { type: 'button', customId: 'np:stop' });
      assert.equal(click.ephemeral, true);
      assert.match(click.content, /only members with the DJ role/);
      assert.ok(h.music.nowPlaying(h.guild.id), 'still playing');
    });

    it('THEN carol may still queue and look', async () => {
      const play = await h.run('carol', { command: 'play', options: { query: 'never gonna' } });
      assert.match(description(play), /Queued/);
      const queue = await h.run('carol', { command: 'queue' });
      assert.equal(queue.ephemeral, false);
    });

    it('THEN bob, a DJ, and alice, an administrator, may control playback', async () => {
      assert.equal((await h.run('bob', { command: 'pause' })).content, '⏸️ Paused. Use /resume to carry on.');
      assert.equal((await h.run('alice', { command: 'resume' })).content, '▶️ Resumed.');
    });
  });

  it('WHEN carol uses the control commands THEN each answers what it did', async () => {
    const say = async (command: string, options?: Record<string, string | number | boolean>) =>
      (await h.run('carol', { command, ...(options ? { options } : {}) })).content;
    assert.equal(await say('volume', { level: 50 }), '🔊 Volume set to **50%**.');
    assert.equal(await say('loop', { mode: 'track' }), '🔁 Loop **track**: repeat the current track.');
    assert.equal(await say('seek', { position: '1:00' }), '⏩ Jumped to **01:00**.');
    assert.match(await say('seek', { position: 'soon' }), /^Give the position as minutes:seconds/);
    assert.equal(await say('filter', { preset: 'nightcore' }), '🎛️ Filter **Nightcore** on.');
    assert.match(await say('shuffle'), /^🔀 Shuffled \d+ tracks\.$/);
    assert.match(await say('remove', { position: 1 }), /^🗑️ Removed \*\*.+\*\* \(position 1\)\.$/);
    assert.match(await say('move', { from: 1, to: 2 }), /^↕️ Moved \*\*.+\*\* to position 2\.$/);
    assert.match(await say('247', { enabled: true }), /^🕒 24\/7 on/);
    assert.match(await say('clear'), /^🧹 Removed \d+ tracks from the queue\.$/);
    assert.equal(await say('remove', { position: 1 }), 'The queue is empty.');
    const np = h.music.nowPlaying(h.guild.id);
    assert.deepEqual([np.volume, np.loop, np.filter, np.alwaysOn], [50, 'track', 'nightcore', true]);
  });

  it('WHEN a member types into an option without suggestions THEN autocomplete answers with none', async () => {
    // /seek's position does not autocomplete: only a client whose command list predates that change asks.
    const reply = await h.run('carol', {
      type: 'autocomplete',
      command: 'seek',
      options: { position: '1' },
      focused: 'position',
      stale: true,
    });
    assert.equal(reply.kind, 'autocomplete');
    assert.deepEqual(reply.choices, []);
    // Only commands that offer suggestions are named in the span.
    await waitFor(() => h.telemetry.spans('autocomplete unknown')[0]);
  });

  it('WHEN carol types into /play THEN autocomplete suggests tracks', async () => {
    const run = h.start('carol', {
      type: 'autocomplete',
      command: 'play',
      options: { query: 'nev' },
      focused: 'query',
    });
    const reply = await run.reply({ timeoutMs: 10_000 });
    assert.equal(reply.kind, 'autocomplete');
    assert.equal(reply.choices?.length, 5);
    assert.match(reply.choices?.[0]?.name ?? '', /^Never Gonna 1 — Artist/);
    const span = await waitFor(() =>
      h.telemetry.spans('autocomplete play').find((s) => s.attributes['discord.interaction.id'] === run.interactionId),
    );
    assert.equal(span.attributes['metronome.outcome'], 'success');
  });

  it('WHEN carol searches THEN only she can pick from the results, and her pick is queued', async () => {
    const run = h.start('carol', { command: 'search', options: { query: 'never gonna' } });
    const results = await run.reply({ timeoutMs: 10_000 });
    const selectId = `search:${run.interactionId}`;
    assert.deepEqual(customIds(results), [selectId]);
    assert.equal(description(results).split('\n').length, 10);

    const stranger = await h.run('dave', { type: 'select', customId: selectId, values: ['2'] });
    assert.equal(stranger.ephemeral, true);
    assert.equal(
      stranger.content,
      'These results belong to whoever ran /search. Run /search yourself to pick a track.',
    );

    const pick = await h.run('carol', { type: 'select', customId: selectId, values: ['2'] });
    assert.match(description(pick), /^➕ Queued \*\*\[Never Gonna 3\]/);
    assert.deepEqual(customIds(pick), [], 'the menu is gone once picked');
    assert.equal(h.music.queuePage(h.guild.id, 1).tracks.at(-1)?.identifier, 's3');

    const again = await h.run('carol', {
      type: 'select',
      customId: selectId,
      values: ['1'],
      messageId: results.messageId ?? undefined,
    });
    assert.equal(again.content, 'These search results have expired. Run /search again.');
  });

  it('WHEN members leave the bot’s channel THEN the music service hears how many listeners remain', async () => {
    h.watcherCalls.length = 0;
    await h.moveMember('carol', null);
    await waitUntil(() => h.watcherCalls.some((c) => c.op === 'membersChanged'));
    assert.deepEqual(
      h.watcherCalls.findLast((c) => c.op === 'membersChanged'),
      {
        op: 'membersChanged',
        guildId: h.guild.id,
        channelId: h.channelId('Lounge'),
        listeners: 2,
      },
    );
  });

  it('WHEN bob runs /leave THEN the bot leaves and the now-playing message loses its buttons', async () => {
    const live = announced(h.channelMessages());
    assert.ok(live);
    assert.equal((await h.run('bob', { command: 'leave' })).content, '👋 Left the voice channel.');
    assert.equal(h.music.voiceChannelOf(h.guild.id), undefined);
    await waitUntil(() => customIds(h.channelMessages().find((m) => m.id === live.id) ?? live).length === 0);
    const stop = await h.run('bob', { command: 'stop' });
    assert.equal(stop.ephemeral, true);
    assert.equal(stop.content, 'Nothing is playing right now.');
  });

  it('WHEN a channel or the guild goes away THEN the music service is told', async () => {
    const musicId = h.channelId('Music');
    h.discord.dispatch(
      'CHANNEL_DELETE',
      { id: musicId, type: 2, guild_id: h.guild.id, name: 'Music' },
      { guildId: h.guild.id },
    );
    await waitUntil(() => h.watcherCalls.some((c) => c.op === 'channelGone' && c.channelId === musicId));
    h.discord.dispatch('GUILD_DELETE', { id: h.guild.id }, { guildId: h.guild.id });
    await waitUntil(() => h.watcherCalls.some((c) => c.op === 'guildGone' && c.guildId === h.guild.id));
  });
});

/** Polls until `find` returns something; the in-memory exporter receives spans as they end. */
async function waitFor<T>(find: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  let found: T | undefined;
  await waitUntil(() => {
    found = find();
    return found !== undefined;
  }, timeoutMs);
  return found as T;
}
