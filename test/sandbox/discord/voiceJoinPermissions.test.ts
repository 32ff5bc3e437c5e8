import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Client,
  Events,
  type GatewayDispatchPayload,
  GatewayOpcodes,
  OverwriteType,
  PermissionFlagsBits,
} from 'discord.js';
import { type GuildSpec, SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { until } from '../lavalink/until.js';
import { loginClient } from './loginClient.js';

const { Connect, MoveMembers, ViewChannel } = PermissionFlagsBits;

/** Voice channels the bot may and may not join. */
const voiceRules: GuildSpec = {
  name: 'Voice rules',
  channels: [
    { name: 'general', kind: 'text' },
    { name: 'Open', kind: 'voice' },
    {
      name: 'Locked',
      kind: 'voice',
      permissionOverwrites: [{ id: 'Metronome', type: OverwriteType.Role, deny: Connect }],
    },
    {
      name: 'Hidden',
      kind: 'voice',
      permissionOverwrites: [{ id: '@everyone', type: OverwriteType.Role, deny: ViewChannel }],
    },
    { name: 'Full', kind: 'voice', userLimit: 1 },
    {
      name: 'Green room',
      kind: 'voice',
      userLimit: 1,
      permissionOverwrites: [{ id: 'metronome', type: OverwriteType.Member, allow: MoveMembers }],
    },
    { name: 'Pair', kind: 'voice', userLimit: 2 },
  ],
  members: [
    { username: 'alice', owner: true },
    { username: 'carol', voiceChannel: 'Full' },
    { username: 'dave', voiceChannel: 'Green room' },
    { username: 'erin', voiceChannel: 'Pair' },
  ],
};

/** The bot as administrator: no overwrite keeps it out. */
const administered: GuildSpec = {
  name: 'Administered',
  botPermissions: PermissionFlagsBits.Administrator,
  channels: [
    { name: 'general', kind: 'text' },
    { name: 'Open', kind: 'voice' },
    {
      name: 'Locked',
      kind: 'voice',
      userLimit: 1,
      permissionOverwrites: [{ id: 'Metronome', type: OverwriteType.Role, deny: Connect | ViewChannel }],
    },
  ],
  members: [{ username: 'frank', voiceChannel: 'Locked' }],
};

type VoiceRequest = string | { readonly channel: string; readonly selfMute: boolean };

describe('GIVEN the bot sends op 4 for voice channels with permissions and user limits', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  const raw: GatewayDispatchPayload[] = [];

  before(async () => {
    sandbox = await SandboxDiscord.start({ guilds: [voiceRules, administered] });
    client = await loginClient(sandbox);
    client.on(Events.Raw, (packet: GatewayDispatchPayload) => raw.push(packet));
  });
  after(async () => {
    await client?.destroy();
    await sandbox?.close();
  });

  /**
   * Sends op 4 for each request in turn, then one joining Open. The gateway handles ops in order, so once Open's
   * answer has arrived every earlier answer has too: an op that brought nothing was ignored. Returns the bot's voice
   * events, as `VOICE_STATE_UPDATE <channel>` or `VOICE_SERVER_UPDATE`, and leaves voice again.
   */
  async function voiceAnswers(guildName: string, requests: readonly VoiceRequest[]): Promise<string[]> {
    const guild = sandbox.guild(guildName);
    const shard = client.guilds.cache.get(guild.id)?.shard;
    assert.ok(shard);
    const send = (channelId: string | null, selfMute = false) =>
      shard.send({
        op: GatewayOpcodes.VoiceStateUpdate,
        d: { guild_id: guild.id, channel_id: channelId, self_mute: selfMute, self_deaf: false },
      });
    const channelId = (name: string) => {
      const channel = guild.channel(name);
      assert.ok(channel, `channel ${name}`);
      return channel.id;
    };
    const from = raw.length;
    for (const request of requests) {
      if (typeof request === 'string') send(channelId(request));
      else send(channelId(request.channel), request.selfMute);
    }
    send(channelId('Open'));
    const answers = (): string[] =>
      raw.slice(from).flatMap((p) => {
        if (p.t === 'VOICE_SERVER_UPDATE') return [p.t];
        if (p.t !== 'VOICE_STATE_UPDATE' || p.d.user_id !== sandbox.botUser.id) return [];
        return [`${p.t} ${p.d.channel_id === null ? 'none' : guild.channel(p.d.channel_id)?.name}`];
      });
    await until(() => answers().at(-1) === 'VOICE_SERVER_UPDATE' && answers().includes('VOICE_STATE_UPDATE Open'));
    const seen = answers();
    send(null);
    await until(() => answers().at(-1) === 'VOICE_STATE_UPDATE none', 'the bot leaving voice');
    return seen;
  }

  const joinedOpenOnly = ['VOICE_STATE_UPDATE Open', 'VOICE_SERVER_UPDATE'];

  it('WHEN the bot joins a channel whose overwrite denies it Connect THEN Discord ignores it', async () => {
    assert.deepEqual(await voiceAnswers('Voice rules', ['Locked']), joinedOpenOnly);
  });

  it('WHEN the bot joins a channel it cannot view THEN Discord ignores it', async () => {
    assert.deepEqual(await voiceAnswers('Voice rules', ['Hidden']), joinedOpenOnly);
  });

  it('WHEN the bot joins a full channel without Move Members THEN Discord ignores it and nobody is added', async () => {
    assert.deepEqual(await voiceAnswers('Voice rules', ['Full']), joinedOpenOnly);
    const guild = sandbox.guild('Voice rules');
    const inFull = [...guild.voiceStates.values()].filter((s) => s.channelId === guild.channel('Full')?.id);
    assert.deepEqual(
      inFull.map((s) => guild.members.get(s.userId)?.user.username),
      ['carol'],
    );
  });

  it('WHEN the bot in another channel asks for a locked one THEN it stays where it was', async () => {
    assert.deepEqual(await voiceAnswers('Voice rules', ['Pair', 'Locked']), [
      'VOICE_STATE_UPDATE Pair',
      'VOICE_SERVER_UPDATE',
      'VOICE_STATE_UPDATE Open',
      'VOICE_SERVER_UPDATE',
    ]);
  });

  it('WHEN the bot joins a full channel where it may Move Members THEN Discord lets it in', async () => {
    assert.deepEqual(await voiceAnswers('Voice rules', ['Green room']), [
      'VOICE_STATE_UPDATE Green room',
      'VOICE_SERVER_UPDATE',
      ...joinedOpenOnly,
    ]);
  });

  it('WHEN the bot fills a channel and then mutes itself in it THEN the limit it counts towards does not block it', async () => {
    assert.deepEqual(await voiceAnswers('Voice rules', ['Pair', { channel: 'Pair', selfMute: true }]), [
      'VOICE_STATE_UPDATE Pair',
      'VOICE_SERVER_UPDATE',
      'VOICE_STATE_UPDATE Pair',
      ...joinedOpenOnly,
    ]);
  });

  it('GIVEN the bot is an administrator THEN neither overwrites nor the user limit keep it out', async () => {
    assert.deepEqual(await voiceAnswers('Administered', ['Locked']), [
      'VOICE_STATE_UPDATE Locked',
      'VOICE_SERVER_UPDATE',
      ...joinedOpenOnly,
    ]);
  });
});
