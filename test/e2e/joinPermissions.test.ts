import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatewayOpcodes, OverwriteType, PermissionFlagsBits, type VoiceChannel } from 'discord.js';
import type { RunCommandInput } from '../../src/sandbox/discord/interactions/RunCommandInput.js';
import { defaultGuildSpec } from '../../src/sandbox/discord/state/defaultGuildSpec.js';
import type { GuildSpec } from '../../src/sandbox/discord/state/GuildSpec.js';
import { BotHarness } from '../support/BotHarness.js';
import { description } from '../support/embedText.js';
import { eventually } from '../support/eventually.js';

/** Shoukaku's voice timeout: a join Discord ignored would have failed only after this. */
const VoiceTimeoutMs = 15_000;

/**
 * The default guild, rearranged so that the bot cannot join two of its voice channels: Music denies it Connect, and
 * Lounge is at its user limit. Bob is in Music, Carol and Dave fill Lounge, Alice is alone in Studio (limit 2).
 */
const guildSpec: GuildSpec = {
  ...defaultGuildSpec(),
  channels: [
    { name: 'general', kind: 'text' },
    {
      name: 'Music',
      kind: 'voice',
      permissionOverwrites: [{ id: 'Metronome', type: OverwriteType.Role, deny: PermissionFlagsBits.Connect }],
    },
    { name: 'Lounge', kind: 'voice', userLimit: 2 },
    { name: 'Studio', kind: 'voice', userLimit: 2 },
  ],
  members: [
    { username: 'alice', globalName: 'Alice', roles: ['Admin'], owner: true, voiceChannel: 'Studio' },
    { username: 'bob', globalName: 'Bob', roles: ['DJ'], voiceChannel: 'Music' },
    { username: 'carol', globalName: 'Carol', voiceChannel: 'Lounge' },
    { username: 'dave', globalName: 'Dave', voiceChannel: 'Lounge' },
  ],
};

/**
 * The whole bot (real discord.js and shoukaku, a sandbox Lavalink node) in a guild where Discord would silently ignore
 * some of its joins: a member asking for music there is told why at once, and the bot does not even try.
 */
describe('GIVEN the bot in a guild with voice channels it cannot join', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start({ lavalinkNodes: 1, guilds: [guildSpec] });
  });
  after(async () => {
    await bot?.stop();
  });

  const guild = () => bot.world;
  const id = (name: string) => {
    const found = guild().channel(name)?.id ?? guild().member(name)?.user.id;
    if (!found) throw new Error(`nothing named ${name}`);
    return found;
  };
  const start = (user: string, input: RunCommandInput) =>
    bot.discord.runCommand({ ...input, guildId: guild().id, channelId: guild().textChannelId, userId: id(user) });
  /** Voice state updates (op 4) the bot sent the sandbox gateway. */
  const joins = () =>
    bot.discord.gatewayEvents.filter((e) => e.direction === 'received' && e.op === GatewayOpcodes.VoiceStateUpdate);
  const outcomeOf = async (interactionId: string) =>
    (
      await bot.receiver.waitFor(
        () =>
          bot.receiver
            .spans()
            .find((s) => s.name === 'command play' && s.attributes['discord.interaction.id'] === interactionId),
        { description: `the command span of interaction ${interactionId}` },
      )
    ).attributes['metronome.outcome'];

  /** Runs /play as `user` and expects the refusal `expected` at once, with no join attempted. */
  async function expectRefusal(user: string, expected: string): Promise<void> {
    const began = Date.now();
    const play = start(user, { command: 'play', options: { query: 'night drive' } });
    const reply = await play.reply({ timeoutMs: VoiceTimeoutMs + 5_000 });
    const tookMs = Date.now() - began;
    assert.equal(reply.content, expected);
    assert.equal(reply.ephemeral, true);
    assert.ok(tookMs < VoiceTimeoutMs / 3, `answered in ${tookMs} ms, not after a voice timeout`);
    assert.equal(await outcomeOf(play.interactionId), 'user_error');
    assert.deepEqual(joins(), [], 'no voice state update was sent');
    assert.equal(bot.app.lavalink.player(guild().id), undefined, 'no Lavalink player was created');
    assert.deepEqual(bot.lavalink[0]?.players(), []);
  }

  it('WHEN bob plays from a channel that denies the bot Connect THEN he is told at once and the bot does not join', async () => {
    await expectRefusal(
      'bob',
      `I do not have permission to join <#${id('Music')}>. Ask a server admin to give me View Channel and Connect there, or use another voice channel.`,
    );
  });

  it('WHEN carol plays from a channel at its user limit THEN she is told it is full and the bot does not join', async () => {
    await expectRefusal(
      'carol',
      `<#${id('Lounge')}> is full, so I cannot join it. Try again when someone leaves, or ask a server admin to raise its user limit or give me Move Members.`,
    );
  });

  it('WHEN alice plays from a channel the bot can join THEN it joins and plays', async () => {
    const reply = await start('alice', { command: 'play', options: { query: 'night drive' } }).reply({
      timeoutMs: 10_000,
    });
    assert.equal(reply.ephemeral, false);
    assert.match(description(reply), /^▶️ Now playing \*\*\[Night Drive\]/);
    assert.equal(joins().length, 1);
    assert.equal(bot.lavalink[0]?.player(guild().id)?.voice?.channelId, id('Studio'));
  });

  it('WHEN the bot itself filled the channel THEN alice may still add to the queue', async () => {
    const studio = bot.app.bot.client.channels.cache.get(id('Studio')) as VoiceChannel;
    await eventually('the bot in Studio', () => studio.members.has(bot.discord.applicationId));
    assert.deepEqual([studio.full, studio.joinable], [true, false], 'Studio is full, with the bot in it');
    const reply = await start('alice', { command: 'play', options: { query: 'night drive' } }).reply({
      timeoutMs: 10_000,
    });
    assert.equal(reply.ephemeral, false);
    assert.match(description(reply), /Queued/);
  });
});
