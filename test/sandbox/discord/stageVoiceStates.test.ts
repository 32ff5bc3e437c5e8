import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  type Client,
  DiscordAPIError,
  Events,
  type GatewayDispatchPayload,
  GatewayOpcodes,
  OverwriteType,
  PermissionFlagsBits,
} from 'discord.js';
import { type GuildSpec, SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { until } from '../lavalink/until.js';
import { loginClient } from './loginClient.js';

/** A stage where the bot may become a speaker (Mute Members there), one where it may not, and a voice channel. */
const stages: GuildSpec = {
  name: 'Stages',
  channels: [
    { name: 'general', kind: 'text' },
    {
      name: 'Moderated',
      kind: 'stage',
      permissionOverwrites: [{ id: 'Metronome', type: OverwriteType.Role, allow: PermissionFlagsBits.MuteMembers }],
    },
    { name: 'Audience', kind: 'stage' },
    { name: 'Lounge', kind: 'voice' },
  ],
  members: [{ username: 'alice', owner: true, voiceChannel: 'Audience' }],
};

describe('GIVEN the bot in a guild with stage channels', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  const raw: GatewayDispatchPayload[] = [];
  const guild = () => sandbox.guild('Stages');
  const channelId = (name: string) => {
    const channel = guild().channel(name);
    assert.ok(channel, `channel ${name}`);
    return channel.id;
  };
  const botState = () => guild().voiceStates.get(sandbox.botUser.id);
  const me = () => client.guilds.cache.get(guild().id)?.members.me;
  /** The bot's voice state updates dispatched since `from`. */
  const botUpdates = (from: number) =>
    raw.slice(from).flatMap((p) => (p.t === 'VOICE_STATE_UPDATE' && p.d.user_id === sandbox.botUser.id ? [p.d] : []));

  async function join(name: string | null): Promise<void> {
    const shard = client.guilds.cache.get(guild().id)?.shard;
    assert.ok(shard);
    const target = name === null ? null : channelId(name);
    shard.send({
      op: GatewayOpcodes.VoiceStateUpdate,
      d: { guild_id: guild().id, channel_id: target, self_mute: false, self_deaf: false },
    });
    await until(() => me()?.voice.channelId === target, `the bot in ${name ?? 'no channel'}`);
  }

  const rejectsWith = (status: number, code: number) => (error: unknown) =>
    error instanceof DiscordAPIError && error.status === status && error.code === code;

  before(async () => {
    sandbox = await SandboxDiscord.start({ guilds: [stages] });
    client = await loginClient(sandbox);
    client.on(Events.Raw, (packet: GatewayDispatchPayload) => raw.push(packet));
  });
  afterEach(async () => {
    await join(null);
  });
  after(async () => {
    await client?.destroy();
    await sandbox?.close();
  });

  it('WHEN the bot joins a stage THEN it is in the audience, and in a voice channel it is not', async () => {
    await join('Moderated');
    assert.equal(botState()?.suppress, true);
    assert.equal(me()?.voice.suppress, true);
    await join('Lounge');
    assert.equal(botState()?.suppress, false);
    assert.equal(me()?.voice.suppress, false);
  });

  it('WHEN a member is listed in a stage THEN they start in its audience', () => {
    const alice = guild().member('alice');
    assert.ok(alice);
    assert.equal(guild().voiceStates.get(alice.user.id)?.suppress, true);
  });

  it('WHEN the bot with Mute Members unsuppresses itself THEN it becomes a speaker and the change is dispatched', async () => {
    await join('Moderated');
    const from = raw.length;
    await me()?.voice.setSuppressed(false);
    await until(() => me()?.voice.suppress === false, 'the speaker state dispatched');
    assert.equal(botState()?.suppress, false);
    assert.deepEqual(
      botUpdates(from).map((d) => [d.channel_id, d.suppress]),
      [[channelId('Moderated'), false]],
    );
    await me()?.voice.setSuppressed(true);
    await until(() => me()?.voice.suppress === true, 'the audience state dispatched');
  });

  it('WHEN the bot without Mute Members unsuppresses itself THEN Discord answers Missing Permissions and nothing changes', async () => {
    await join('Audience');
    const from = raw.length;
    await assert.rejects(me()!.voice.setSuppressed(false), rejectsWith(403, 50013));
    assert.equal(botState()?.suppress, true);
    assert.deepEqual(botUpdates(from), []);
  });

  it('WHEN the bot asks to speak THEN its request is stored and dispatched, and cancelling clears it', async () => {
    await join('Audience');
    await me()?.voice.setRequestToSpeak(true);
    await until(() => me()?.voice.requestToSpeakTimestamp !== null, 'the request dispatched');
    const requested = botState()?.requestToSpeakTimestamp;
    assert.ok(requested && !Number.isNaN(Date.parse(requested)), `a timestamp, got ${requested}`);
    assert.equal(botState()?.suppress, true, 'still in the audience until a moderator accepts');
    await me()?.voice.setRequestToSpeak(false);
    await until(() => me()?.voice.requestToSpeakTimestamp === null, 'the cancellation dispatched');
    assert.equal(botState()?.requestToSpeakTimestamp, null);
  });

  it('WHEN the bot leaves a stage with a request pending THEN the request does not follow it', async () => {
    await join('Audience');
    await me()?.voice.setRequestToSpeak(true);
    await until(() => me()?.voice.requestToSpeakTimestamp !== null, 'the request dispatched');
    await join('Moderated');
    assert.equal(botState()?.requestToSpeakTimestamp, null);
    assert.equal(botState()?.suppress, true);
  });

  describe('WHEN the request names the wrong channel', () => {
    const patch = (body: unknown) =>
      client.rest.patch(`/guilds/${guild().id}/voice-states/@me`, { body }) as Promise<unknown>;

    it('THEN a voice channel is refused as the wrong channel type', async () => {
      await join('Lounge');
      await assert.rejects(patch({ channel_id: channelId('Lounge'), suppress: false }), rejectsWith(400, 50024));
    });

    it('THEN a stage the bot is not in is an unknown voice state', async () => {
      await join('Moderated');
      await assert.rejects(patch({ channel_id: channelId('Audience'), suppress: true }), rejectsWith(404, 10065));
      assert.equal(botState()?.channelId, channelId('Moderated'));
    });

    it('THEN a body without channel_id is an invalid form body naming the field', async () => {
      await join('Moderated');
      await assert.rejects(patch({ suppress: false }), (error: unknown) => {
        assert.ok(error instanceof DiscordAPIError);
        assert.equal(error.code, 50035);
        assert.deepEqual(Object.keys((error.rawError as { errors?: object }).errors ?? {}), ['channel_id']);
        return true;
      });
    });

    it('THEN a channel that does not exist is an unknown channel', async () => {
      await join('Moderated');
      await assert.rejects(patch({ channel_id: '1', suppress: true }), rejectsWith(404, 10003));
    });
  });
});
