import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import {
  type Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type GuildBasedChannel,
  type Interaction,
  OverwriteType,
  PermissionFlagsBits,
  type TextChannel,
  type VoiceChannel,
} from 'discord.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  type GuildSpec,
  SandboxDiscord,
  type SandboxGuild,
} from '../../../src/sandbox/discord/index.js';
import { loginClient, TEST_INTENTS } from './loginClient.js';

const { Connect, EmbedLinks, MoveMembers, SendMessages, ViewChannel } = PermissionFlagsBits;

/** A guild whose channels lock the bot out in every way a music bot meets. */
const restricted: GuildSpec = {
  name: 'Restricted',
  roles: [{ name: 'DJ', permissions: MoveMembers }],
  channels: [
    { name: 'general', kind: 'text' },
    // Denied to @everyone, which the bot's role does not allow back.
    {
      name: 'announcements',
      kind: 'text',
      permissionOverwrites: [{ id: '@everyone', type: OverwriteType.Role, deny: SendMessages }],
    },
    // Denied to the bot member itself, as strings like Discord's own payloads.
    {
      name: 'no-embeds',
      kind: 'text',
      permissionOverwrites: [{ id: 'metronome', type: OverwriteType.Member, deny: EmbedLinks.toString() }],
    },
    // Hidden from everyone but the DJs.
    {
      name: 'staff',
      kind: 'text',
      permissionOverwrites: [
        { id: '@everyone', type: OverwriteType.Role, deny: ViewChannel },
        { id: 'DJ', type: OverwriteType.Role, allow: ViewChannel },
      ],
    },
    {
      name: 'Music',
      kind: 'voice',
      permissionOverwrites: [{ id: 'Metronome', type: OverwriteType.Role, deny: Connect }],
    },
    { name: 'Small', kind: 'voice', userLimit: 1 },
    {
      name: 'Green room',
      kind: 'voice',
      userLimit: 1,
      permissionOverwrites: [{ id: 'metronome', type: OverwriteType.Member, allow: MoveMembers }],
    },
  ],
  members: [
    { username: 'alice', owner: true },
    { username: 'bob', roles: ['DJ'] },
    { username: 'carol', voiceChannel: 'Small' },
    { username: 'dave', voiceChannel: 'Green room' },
  ],
};

/** A guild where the bot is an administrator: overwrites do not apply to it. */
const administered: GuildSpec = {
  name: 'Administered',
  botPermissions: PermissionFlagsBits.Administrator,
  channels: [
    { name: 'general', kind: 'text' },
    {
      name: 'Music',
      kind: 'voice',
      permissionOverwrites: [{ id: 'Metronome', type: OverwriteType.Role, deny: Connect | ViewChannel }],
    },
  ],
  members: [{ username: 'erin' }],
};

describe('GIVEN a sandbox guild with bot permissions and channel overwrites', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  let guild: SandboxGuild;

  const channelId = (name: string, where = guild) => {
    const channel = where.channel(name);
    if (!channel) throw new Error(`no channel ${name}`);
    return channel.id;
  };
  const cached = <T extends GuildBasedChannel>(name: string, where = guild): T =>
    client.channels.cache.get(channelId(name, where)) as T;

  before(async () => {
    sandbox = await SandboxDiscord.start({ guilds: [restricted, administered] });
    guild = sandbox.guild('Restricted');
    // Every member cached, so discord.js can compute everyone's permissions.
    client = await loginClient(sandbox, { intents: [...TEST_INTENTS, GatewayIntentBits.GuildMembers] });
    await client.application.commands.set([{ name: 'ping', description: 'Pong' }]);
  });
  after(async () => {
    await client?.destroy();
    await sandbox?.close();
  });

  it('THEN GUILD_CREATE carries the overwrites in Discord’s shape, ids resolved and bitfields as strings', () => {
    const created = sandbox.gatewayEvents.find(
      (e) => e.t === 'GUILD_CREATE' && (e.d as { id: string }).id === guild.id,
    );
    assert.ok(created, 'GUILD_CREATE was sent');
    const { channels } = created.d as { channels: { name: string; permission_overwrites: unknown }[] };
    const overwritesOf = (name: string) => channels.find((c) => c.name === name)?.permission_overwrites;
    const botRole = guild.role('Metronome');
    assert.ok(botRole);
    assert.deepEqual(overwritesOf('Music'), [{ id: botRole.id, type: 0, allow: '0', deny: Connect.toString() }]);
    assert.deepEqual(overwritesOf('no-embeds'), [
      { id: sandbox.botUser.id, type: 1, allow: '0', deny: EmbedLinks.toString() },
    ]);
    assert.deepEqual(overwritesOf('staff'), [
      { id: guild.id, type: 0, allow: '0', deny: ViewChannel.toString() },
      { id: guild.role('DJ')?.id, type: 0, allow: ViewChannel.toString(), deny: '0' },
    ]);
    assert.deepEqual(overwritesOf('general'), []);
  });

  it('THEN REST serves the same overwrites as the gateway', async () => {
    const fetched = await client.channels.fetch(channelId('Music'), { force: true });
    assert.equal((fetched as VoiceChannel).permissionOverwrites.cache.size, 1);
    assert.equal(
      (fetched as VoiceChannel).permissionOverwrites.cache.get(guild.role('Metronome')?.id ?? '')?.deny.bitfield,
      Connect,
    );
  });

  it('THEN the sandbox computes every member’s permissions in every channel exactly as discord.js does', () => {
    for (const channel of guild.channels) {
      const discordChannel = client.channels.cache.get(channel.id) as GuildBasedChannel;
      for (const userId of guild.members.keys()) {
        assert.equal(
          guild.permissionsIn(userId, channel.id),
          discordChannel.permissionsFor(userId)?.bitfield,
          `${guild.members.get(userId)?.user.username} in ${channel.name}`,
        );
      }
    }
  });

  it('THEN discord.js finds a channel that denies Connect to the bot not joinable', () => {
    const music = cached<VoiceChannel>('Music');
    assert.equal(music.viewable, true);
    assert.equal(music.joinable, false);
    assert.equal(guild.permissionsIn(sandbox.botUser.id, music.id) & Connect, 0n);
  });

  it('THEN a channel at its user limit is full and not joinable, unless the bot may move members there', () => {
    const small = cached<VoiceChannel>('Small');
    assert.deepEqual([small.full, small.joinable], [true, false]);
    const greenRoom = cached<VoiceChannel>('Green room');
    assert.deepEqual([greenRoom.full, greenRoom.joinable], [true, true]);
  });

  it('THEN a hidden channel is hidden from members without the allowing role, and from the bot', () => {
    const staff = cached<TextChannel>('staff');
    assert.equal(staff.permissionsFor(guild.member('bob')?.user.id ?? '')?.has(ViewChannel), true);
    assert.equal(staff.permissionsFor(guild.member('carol')?.user.id ?? '')?.has(ViewChannel), false);
    assert.equal(staff.viewable, false);
  });

  it('WHEN the bot posts where it may THEN the message is created', async () => {
    const message = await cached<TextChannel>('general').send({ embeds: [new EmbedBuilder().setTitle('hi')] });
    assert.equal(sandbox.channelMessages(channelId('general')).at(-1)?.id, message.id);
  });

  it('WHEN the bot posts where it may not send THEN Discord answers 403 Missing Permissions', async () => {
    await assert.rejects(cached<TextChannel>('announcements').send('hello'), (error: unknown) => {
      assert.ok(error instanceof DiscordAPIError);
      assert.deepEqual([error.status, error.code, error.message], [403, 50013, 'Missing Permissions']);
      return true;
    });
    assert.deepEqual(sandbox.channelMessages(channelId('announcements')), []);
  });

  it('WHEN the bot posts an embed where it may not embed links THEN only the embed is refused', async () => {
    const channel = cached<TextChannel>('no-embeds');
    await assert.rejects(
      channel.send({ embeds: [new EmbedBuilder().setTitle('Now playing')] }),
      (error: unknown) => error instanceof DiscordAPIError && error.status === 403 && error.code === 50013,
    );
    await channel.send('plain text is fine');
    assert.deepEqual(
      sandbox.channelMessages(channelId('no-embeds')).map((m) => m.content),
      ['plain text is fine'],
    );
  });

  it('WHEN the bot posts in a channel it cannot see THEN Discord answers 403 Missing Access', async () => {
    await assert.rejects(
      cached<TextChannel>('staff').send('hello'),
      (error: unknown) => error instanceof DiscordAPIError && error.status === 403 && error.code === 50001,
    );
  });

  it('WHEN a command runs in a channel the bot may not post in THEN its app permissions say so, and it can still reply', async () => {
    const received = once(client, Events.InteractionCreate) as Promise<[Interaction]>;
    const run = sandbox.runCommand({
      command: 'ping',
      guildId: guild.id,
      channelId: channelId('announcements'),
      userId: 'bob',
    });
    const [interaction] = await received;
    assert.ok(interaction.isChatInputCommand());
    assert.equal(interaction.appPermissions.has(SendMessages), false);
    assert.equal(interaction.appPermissions.has(ViewChannel), true);
    await interaction.reply('pong');
    assert.equal((await run.reply()).content, 'pong');
  });

  it('GIVEN the bot is an administrator THEN overwrites do not apply to it', () => {
    const administeredGuild = sandbox.guild('Administered');
    const music = cached<VoiceChannel>('Music', administeredGuild);
    assert.equal(music.joinable, true);
    assert.equal(
      administeredGuild.permissionsIn(sandbox.botUser.id, music.id),
      music.permissionsFor(client.user)?.bitfield,
    );
  });

  it('GIVEN no bot permissions in the spec THEN the bot’s role has the defaults', () => {
    assert.equal(guild.role('Metronome')?.permissions, DEFAULT_BOT_PERMISSIONS);
  });

  it('GIVEN an overwrite for a role or member the guild does not have THEN adding the guild fails, naming it', () => {
    assert.throws(
      () =>
        sandbox.addGuild({
          channels: [
            { name: 'x', kind: 'voice', permissionOverwrites: [{ id: 'nobody', type: OverwriteType.Member }] },
          ],
        }),
      /Channel x has an overwrite for an unknown member nobody/,
    );
  });
});
