import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadedTrack } from '../../music/trackFixtures.js';
import { description } from '../../support/embedText.js';
import { MusicHarness, waitUntil } from '../../support/MusicHarness.js';

const Expired = 'These search results have expired. Run /search again.';

/**
 * The `/search` pick end to end: the real discord.js client against the sandbox Discord, the real pipeline and
 * MusicService on a fake Lavalink gateway whose voice join a test can hold.
 */
describe('GIVEN /search results in the sandbox guild', () => {
  let h: MusicHarness;
  const results = [
    loadedTrack('r1', { title: 'Result 1' }),
    loadedTrack('r2', { title: 'Result 2' }),
    loadedTrack('r3', { title: 'Endless', lengthMs: 24 * 60 * 60 * 1000 }),
  ];
  const queued = () => {
    const page = h.music.queuePage(h.guild.id, 1);
    return [page.current, ...page.tracks].filter((t) => t !== undefined && t !== null).map((t) => t.identifier);
  };
  const searchAs = async (user: string) => {
    const run = h.start(user, { command: 'search', options: { query: 'results' } });
    const reply = await run.reply({ timeoutMs: 10_000 });
    return { customId: `search:${run.interactionId}`, messageId: reply.messageId ?? undefined };
  };

  before(async () => {
    h = await MusicHarness.start();
    h.gateway.results.set('ytsearch:results', { kind: 'search', tracks: results });
  });
  after(async () => {
    await h?.stop();
  });

  it('WHEN carol picks twice while the bot is still joining voice THEN the track is queued once and the second pick is told the results are gone', async () => {
    await h.moveMember('carol', 'Lounge');
    const menu = await searchAs('carol');
    const join = h.gateway.join.bind(h.gateway);
    const { promise: joinHeld, resolve: releaseJoin } = Promise.withResolvers<void>();
    let joining = false;
    h.gateway.join = async (options) => {
      joining = true;
      await joinHeld;
      return join(options);
    };
    try {
      const first = h.start('carol', { type: 'select', ...menu, values: ['0'] });
      await waitUntil(() => joining);
      const second = await h.run('carol', { type: 'select', ...menu, values: ['1'] });
      assert.equal(second.content, Expired);
      releaseJoin();
      assert.match(description(await first.reply({ timeoutMs: 10_000 })), /Result 1/);
    } finally {
      releaseJoin();
      h.gateway.join = join;
    }
    assert.deepEqual(queued(), ['r1']);
  });

  it('WHEN a pick is refused THEN the member can pick from the same results again', async () => {
    const menu = await searchAs('carol');
    const tooLong = await h.run('carol', { type: 'select', ...menu, values: ['2'] });
    assert.match(tooLong.content ?? '', /^That is longer than the track length limit/);

    await h.moveMember('carol', null);
    const outOfVoice = await h.run('carol', { type: 'select', ...menu, values: ['1'] });
    assert.equal(outOfVoice.content, 'Join a voice channel first.');

    await h.moveMember('carol', 'Lounge');
    const pick = await h.run('carol', { type: 'select', ...menu, values: ['1'] });
    assert.match(description(pick), /Result 2/);
    assert.deepEqual(queued(), ['r1', 'r2']);
    const again = await h.run('carol', { type: 'select', ...menu, values: ['0'] });
    assert.equal(again.content, Expired);
  });
});
