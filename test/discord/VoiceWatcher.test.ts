import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import { VoiceWatcher } from '../../src/discord/VoiceWatcher.js';
import type { SandboxGuild } from '../../src/sandbox/discord/state/SandboxGuild.js';
import { createHarness, type Harness, playRequest, searchable } from '../music/musicServiceHarness.js';
import { until } from '../sandbox/lavalink/until.js';
import { BotVoiceFixture } from './BotVoiceFixture.js';

/**
 * The voice watcher on the real discord.js client against the sandbox Discord, feeding the real music service (on a
 * fake Lavalink gateway). The fake gateway never joins voice itself, so the tests move the bot as the join would.
 */
describe('VoiceWatcher: the bot’s own voice state', () => {
  let fixture: BotVoiceFixture;
  let client: Client<true>;
  let guild: SandboxGuild;
  let logger: Logger;

  before(async () => {
    fixture = await BotVoiceFixture.start();
    ({ client, guild, logger } = fixture);
  });
  after(async () => {
    await fixture[Symbol.asyncDispose]();
  });
  afterEach(async () => {
    await moveBot(null);
    assert.deepEqual(fixture.warnings.splice(0), [], 'the watcher logged no failure');
  });

  const moveBot = (channel: string | null) => fixture.moveBot(channel);

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
