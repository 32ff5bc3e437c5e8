import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Client } from 'discord.js';
import pino from 'pino';
import { VoiceWatcher } from '../../src/discord/VoiceWatcher.js';
import { SandboxDiscord } from '../../src/sandbox/discord/index.js';
import type { SandboxGuild } from '../../src/sandbox/discord/state/SandboxGuild.js';
import { createHarness, type Harness, playRequest, searchable } from '../music/musicServiceHarness.js';
import { loginClient } from '../sandbox/discord/loginClient.js';
import { until } from '../sandbox/lavalink/until.js';

/**
 * The voice watcher on the real discord.js client against the sandbox Discord, feeding the real music service (on a
 * fake Lavalink gateway). The fake gateway never joins voice itself, so the tests move the bot as the join would.
 */
describe('VoiceWatcher: the bot’s own voice state', () => {
  let discord: SandboxDiscord;
  let client: Client<true>;
  let guild: SandboxGuild;
  const warnings: string[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _encoding, done) {
        warnings.push(String(chunk));
        done();
      },
    }),
  );

  before(async () => {
    discord = await SandboxDiscord.start();
    client = await loginClient(discord);
    guild = discord.guilds[0]!;
  });
  after(async () => {
    await client.destroy();
    await discord.close();
  });
  afterEach(async () => {
    await moveBot(null);
    assert.deepEqual(warnings.splice(0), [], 'the watcher logged no failure');
  });

  /** Moves the bot in the sandbox (null: disconnects it) and waits until discord.js has seen it. */
  async function moveBot(channel: string | null): Promise<void> {
    const channelId = channel === null ? null : guild.channel(channel)!.id;
    discord.moveMember(guild.id, discord.botUser.id, channelId);
    await until(
      () => (client.guilds.cache.get(guild.id)?.voiceStates.cache.get(client.user.id)?.channelId ?? null) === channelId,
      `the bot in ${channel ?? 'no channel'}`,
    );
  }

  /** Plays one track in the Lounge, with the bot in the Lounge as the join would put it. */
  async function playInLounge(h: Harness): Promise<void> {
    searchable(h.gateway, 'a');
    await h.service.play(playRequest('a', { guildId: guild.id, voiceChannelId: guild.channel('Lounge')!.id }));
    await moveBot('Lounge');
  }

  function disconnects(h: Harness): string[] {
    return h.events.flatMap((e) => (e.name === 'disconnected' ? [e.reason] : []));
  }

  it('GIVEN the bot plays WHEN a moderator disconnects it THEN the session ends, and /play joins again', async () => {
    await using h = createHarness();
    using _watcher = new VoiceWatcher(client, h.service, logger);
    await playInLounge(h);
    const player = h.player(guild.id);

    await moveBot(null);
    await until(() => player.destroyed, 'the player destroyed');

    assert.equal(h.service.voiceChannelOf(guild.id), undefined);
    assert.deepEqual(h.service.snapshots(), []);
    assert.deepEqual(disconnects(h), ['disconnected']);
    await h.service.play(playRequest('a', { guildId: guild.id, voiceChannelId: guild.channel('Music')!.id }));
    assert.equal(h.gateway.joins.length, 2);
    assert.equal(h.service.voiceChannelOf(guild.id), guild.channel('Music')!.id);
  });

  it('GIVEN the bot plays WHEN a moderator moves it THEN it plays on in the new channel', async () => {
    await using h = createHarness();
    using _watcher = new VoiceWatcher(client, h.service, logger);
    await playInLounge(h);

    await moveBot('Music');

    const musicId = guild.channel('Music')!.id;
    assert.equal(h.service.voiceChannelOf(guild.id), musicId);
    assert.equal(h.service.snapshotOf(guild.id)?.voiceChannelId, musicId);
    assert.equal(h.player(guild.id).destroyed, false);
    assert.deepEqual(disconnects(h), []);
  });

  it('GIVEN the bot left with /leave WHEN Discord reports it out of voice THEN it does not leave a second time', async () => {
    await using h = createHarness();
    using _watcher = new VoiceWatcher(client, h.service, logger);
    await playInLounge(h);

    await h.service.leave(guild.id);
    await moveBot(null);
    await moveBot('Lounge');

    assert.deepEqual(disconnects(h), ['left']);
    assert.equal(h.service.voiceChannelOf(guild.id), undefined);
  });
});
