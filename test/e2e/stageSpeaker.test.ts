import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OverwriteType, PermissionFlagsBits } from 'discord.js';
import type { GuildSpec } from '../../src/sandbox/discord/state/GuildSpec.js';
import type { SandboxGuild } from '../../src/sandbox/discord/state/SandboxGuild.js';
import { BotHarness } from '../support/BotHarness.js';
import { description } from '../support/embedText.js';
import { eventually } from '../support/eventually.js';

/** A guild whose only voice channel is a stage; `mayMute`: the bot holds Mute Members there. */
function stageGuild(name: string, mayMute: boolean): GuildSpec {
  return {
    name,
    channels: [
      { name: 'general', kind: 'text' },
      {
        name: 'Stage',
        kind: 'stage',
        permissionOverwrites: mayMute
          ? [{ id: 'Metronome', type: OverwriteType.Role, allow: PermissionFlagsBits.MuteMembers }]
          : [],
      },
    ],
    members: [{ username: 'alice', globalName: 'Alice', owner: true, voiceChannel: 'Stage' }],
  };
}

const NoticePattern = /^🎙️ I joined <#(\d+)> as a listener, so nobody can hear me yet\./;

/**
 * The whole bot (real discord.js and shoukaku, a sandbox Lavalink node) asked for music from a stage channel, where
 * Discord seats whoever joins in the audience: it must become a speaker to be heard, or ask to and say so.
 */
describe('GIVEN the bot asked to play in a stage channel', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start({
      lavalinkNodes: 1,
      guilds: [stageGuild('Moderated stage', true), stageGuild('Open mic', false)],
    });
  });
  after(async () => {
    await bot?.stop();
  });

  const botState = (guild: SandboxGuild) => guild.voiceStates.get(bot.discord.applicationId);
  const play = (guild: SandboxGuild) =>
    bot.discord
      .runCommand({
        command: 'play',
        options: { query: 'night drive' },
        guildId: guild.id,
        channelId: guild.textChannelId,
        userId: guild.member('alice')!.user.id,
      })
      .reply({ timeoutMs: 10_000 });
  const notices = (guild: SandboxGuild) =>
    bot.discord.channelMessages(guild.textChannelId).filter((m) => NoticePattern.test(m.content));

  it('WHEN the bot may mute members there THEN it becomes a speaker and plays', async () => {
    const guild = bot.discord.guild('Moderated stage');
    const reply = await play(guild);
    assert.match(description(reply), /^▶️ Now playing \*\*\[Night Drive\]/);
    await eventually('the bot a speaker on the stage', () => botState(guild)?.suppress === false);
    assert.equal(botState(guild)?.channelId, guild.channel('Stage')?.id);
    assert.equal(botState(guild)?.requestToSpeakTimestamp, null);
    assert.equal(bot.lavalink[0]?.player(guild.id)?.voice?.channelId, guild.channel('Stage')?.id);
    assert.ok(bot.lavalink[0]?.player(guild.id)?.track, 'a track is playing');
    assert.deepEqual(notices(guild), [], 'no stage notice');
  });

  it('WHEN the bot may not mute members there THEN it asks to speak and tells the channel once', async () => {
    const guild = bot.discord.guild('Open mic');
    const reply = await play(guild);
    assert.match(description(reply), /^▶️ Now playing \*\*\[Night Drive\]/);
    await eventually('the bot asking to speak', () => botState(guild)?.requestToSpeakTimestamp ?? undefined);
    assert.equal(botState(guild)?.suppress, true, 'still in the audience until a moderator accepts');
    const [notice] = await eventually('the stage notice', () => notices(guild).length > 0 && notices(guild));
    assert.equal(
      notice?.content,
      `🎙️ I joined <#${guild.channel('Stage')?.id}> as a listener, so nobody can hear me yet. I asked to speak: a stage moderator can make me a speaker, or a server admin can give me Mute Members there.`,
    );
    // A second track in the same stage does not repeat it.
    await play(guild);
    await bot.app.announcer.settled();
    assert.equal(notices(guild).length, 1);
  });
});
