import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunCommandInput } from '../../src/sandbox/discord/interactions/RunCommandInput.js';
import type { SandboxLavalink, SandboxPlayerSnapshot } from '../../src/sandbox/lavalink/index.js';
import { BotHarness } from '../support/BotHarness.js';
import { description, footer } from '../support/embedText.js';
import { eventually } from '../support/eventually.js';

interface StoredSnapshot {
  current: { title: string; encoded: string } | null;
  positionMs: number;
  upcoming: { title: string }[];
  volume: number;
  loop: string;
}

/**
 * A Lavalink restart with no other node: the bot's only node dies for longer than the bot's reconnects (so the bot
 * gives up on it and stops its players), then comes back without its sessions. The bot must keep each guild's
 * snapshot meanwhile and bring the music back as after a bot restart.
 */
describe('GIVEN the bot playing a queue on its only Lavalink node, WHEN the node restarts', () => {
  let bot: BotHarness;
  let node: SandboxLavalink;
  /** The snapshot stored while the node was down. */
  let kept: StoredSnapshot;

  before(async () => {
    bot = await BotHarness.start({
      lavalinkNodes: 1,
      lavalink: { statsIntervalMs: 200, playerUpdateIntervalMs: 200 },
    });
    node = bot.lavalink[0] ?? assert.fail('no node');
    const alice = userId('alice');
    bot.discord.moveMember(guild().id, alice, channelId('Music'));
    await eventually(
      'alice in Music',
      () =>
        bot.app.bot.client.guilds.cache.get(guild().id)?.voiceStates.cache.get(alice)?.channelId === channelId('Music'),
    );
  });
  after(async () => {
    await bot?.stop();
  });

  const guild = () => bot.world;
  const userId = (name: string) => guild().member(name)?.user.id ?? assert.fail(`no member ${name}`);
  const channelId = (name: string) => guild().channel(name)?.id ?? assert.fail(`no channel ${name}`);
  const run = (user: string, input: RunCommandInput) =>
    bot.discord
      .runCommand({ ...input, guildId: guild().id, channelId: guild().textChannelId, userId: userId(user) })
      .reply({ timeoutMs: 10_000 });
  const stored = async () => {
    const { rows } = await bot.app.database.pool.query('SELECT snapshot FROM queue_snapshots WHERE guild_id = $1', [
      guild().id,
    ]);
    return (rows[0] as { snapshot: StoredSnapshot } | undefined)?.snapshot;
  };
  const playing = (): SandboxPlayerSnapshot | undefined =>
    node.players().find((p) => p.guildId === guild().id && p.track !== null);

  it('WHEN alice plays a track, queues two more, seeks, sets the volume and loop THEN the position is saved', async () => {
    assert.match(
      description(await run('alice', { command: 'play', options: { query: 'night drive' } })),
      /Now playing/,
    );
    assert.match(description(await run('alice', { command: 'play', options: { query: 'golden hour' } })), /Queued/);
    assert.match(description(await run('alice', { command: 'play', options: { query: 'northern lights' } })), /Queued/);
    await run('alice', { command: 'seek', options: { position: '1:30' } });
    await run('alice', { command: 'volume', options: { level: 70 } });
    await run('alice', { command: 'loop', options: { mode: 'queue' } });
    await eventually('a checkpoint past 1:30', async () => {
      const snapshot = await stored();
      return snapshot && snapshot.positionMs >= 90_000 && snapshot.loop === 'queue' ? snapshot : undefined;
    });
  });

  it('WHEN the node dies until the bot gives up on it THEN the player is stopped but the snapshot is kept', async () => {
    const before = playing() ?? assert.fail('the node plays');
    node.kill({ forgetSessions: true });
    await eventually('the player lost', () => bot.app.lavalink.player(guild().id) === undefined);
    await eventually('the node dropped', () => bot.lavalinkStatuses()['node-1'] === 'down');
    await eventually('the channel told', () =>
      bot.discord
        .channelMessages(guild().textChannelId)
        .some((m) => m.content.includes('music node went away') && m.content.includes('pick up where I left off')),
    );
    // Longer than a snapshot write takes (`database.snapshot_delay_ms`): a delete would have landed.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    kept = (await stored()) ?? assert.fail('the snapshot was deleted');
    assert.equal(kept.current?.title, 'Night Drive');
    assert.equal(kept.current?.encoded, before.track?.encoded);
    assert.deepEqual(
      kept.upcoming.map((t) => t.title),
      ['Golden Hour', 'Northern Lights'],
    );
    assert.ok(Math.abs(kept.positionMs - before.position) < 7_000, `kept ${kept.positionMs}, was ${before.position}`);
  });

  it('WHEN the node is back THEN the same track plays again from about the saved position, with the queue, volume and loop', async () => {
    node.revive();
    const restored = await eventually('the restored player', playing, 20_000);
    assert.equal(restored.track?.encoded, kept.current?.encoded, 'the same track');
    assert.ok(
      Math.abs(restored.position - kept.positionMs) < 5_000,
      `resumed at ${restored.position} ms, saved at ${kept.positionMs} ms`,
    );
    assert.ok(restored.position >= 88_000, `not from the start: ${restored.position} ms`);
    assert.equal(restored.volume, 70);
    assert.equal(restored.voice?.channelId, channelId('Music'), 'back in the Music channel');

    const queue = await run('alice', { command: 'queue' });
    assert.match(description(queue), /^\*\*Now playing:\*\* \[Night Drive\]/);
    assert.match(description(queue), /`1\.` \[Golden Hour\]/);
    assert.match(description(queue), /`2\.` \[Northern Lights\]/);
    assert.match(footer(queue), /Loop: queue$/);
    assert.ok(await stored(), 'the restored player is saved again');
  });

  it('THEN the restore is the same traced and counted player restore as at start-up', async () => {
    const span = await bot.receiver.waitFor(
      () =>
        bot.receiver
          .spans()
          .find((s) => s.name === 'player restore' && s.attributes['discord.guild.id'] === guild().id),
      { description: 'the player restore span' },
    );
    assert.equal(span.attributes['metronome.outcome'], 'success');
    await bot.receiver.waitFor(
      () =>
        bot.receiver
          .metrics()
          .find(
            (m) =>
              m.name === 'metronome.automation.actions' &&
              m.attributes.action === 'player_restore' &&
              m.attributes.outcome === 'success',
          ),
      { description: 'player_restore success' },
    );
  });

  it('WHEN the node flaps once more THEN nothing is restored twice', async () => {
    const restores = () => bot.receiver.spans().filter((s) => s.name === 'player restore').length;
    const before = restores();
    node.dropConnections();
    await bot.lavalinkConnected('node-1');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(restores(), before);
    assert.equal(playing()?.track?.encoded, kept.current?.encoded);
  });
  it('WHEN the node dies again while the bot brings the player back THEN the snapshot waits for the next node, and nobody hears of a failure', async () => {
    const botId = bot.app.bot.client.user?.id ?? assert.fail('the bot has no user');
    const inMusic = () => guild().voiceStates.get(botId)?.channelId === channelId('Music');
    node.kill({ forgetSessions: true });
    await eventually('the node dropped', () => bot.lavalinkStatuses()['node-1'] === 'down');
    await eventually('the bot out of voice', () => !inMusic());
    const saved = (await stored()) ?? assert.fail('the snapshot was deleted');

    // Every REST answer takes 2.5 s: the restore's player update is still on the wire when the node dies again.
    node.slow(2_500);
    node.revive();
    await eventually('the restore in voice', inMusic, 20_000);
    node.kill({ forgetSessions: true });
    await eventually('the node dropped again', () => bot.lavalinkStatuses()['node-1'] === 'down');
    await eventually('the bot out of voice again', () => !inMusic());
    // Longer than a snapshot write takes: a delete would have landed.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const kept = (await stored()) ?? assert.fail('the snapshot was deleted');
    assert.equal(kept.current?.encoded, saved.current?.encoded);
    assert.equal(kept.positionMs, saved.positionMs, 'the position it was stored with, not where the join left it');
    assert.deepEqual(
      kept.upcoming.map((t) => t.title),
      saved.upcoming.map((t) => t.title),
    );
    const failures = bot.discord
      .channelMessages(guild().textChannelId)
      .filter((m) => m.content.includes('could not bring back'));
    assert.deepEqual(failures, [], 'the channel is not told the music is gone');

    node.slow(0);
    node.revive();
    const restored = await eventually('the player restored', playing, 20_000);
    assert.equal(restored.track?.encoded, saved.current?.encoded);
    assert.equal(restored.volume, 70);
  });
});
