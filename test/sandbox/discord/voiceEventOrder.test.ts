import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Events, type GatewayDispatchPayload, GatewayOpcodes } from 'discord.js';
import { SandboxDiscord, type SandboxDiscordOptions } from '../../../src/sandbox/discord/index.js';
import { until } from '../lavalink/until.js';
import { loginClient } from './loginClient.js';

type VoiceEvent = 'VOICE_STATE_UPDATE' | 'VOICE_SERVER_UPDATE';
const isVoiceEvent = (t: string): t is VoiceEvent => t === 'VOICE_STATE_UPDATE' || t === 'VOICE_SERVER_UPDATE';

/** A sandbox with a logged-in client that records every raw dispatch. */
async function start(options: SandboxDiscordOptions = {}) {
  const sandbox = await SandboxDiscord.start(options);
  const client = await loginClient(sandbox);
  const raw: GatewayDispatchPayload[] = [];
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => raw.push(packet));
  return { sandbox, client, raw };
}

/** Sends op 4 for `channelId` and returns the voice dispatches it brought, in arrival order. */
async function voiceAnswer(
  { sandbox, client, raw }: Awaited<ReturnType<typeof start>>,
  channelId: string | null,
): Promise<VoiceEvent[]> {
  const guild = client.guilds.cache.get(sandbox.guilds[0]!.id)!;
  const from = raw.length;
  guild.shard.send({
    op: GatewayOpcodes.VoiceStateUpdate,
    d: { guild_id: guild.id, channel_id: channelId, self_mute: false, self_deaf: false },
  });
  await until(() => guild.members.me?.voice.channelId === channelId, 'the bot’s voice state');
  if (channelId !== null) {
    await until(() => raw.slice(from).some((p) => p.t === 'VOICE_SERVER_UPDATE'), 'VOICE_SERVER_UPDATE');
  }
  return raw
    .slice(from)
    .map((p): string => p.t)
    .filter(isVoiceEvent);
}

describe('sandbox Discord voice event order', () => {
  let server: Awaited<ReturnType<typeof start>>;
  let voiceChannels: readonly string[];

  before(async () => {
    server = await start({ voiceEventOrder: 'server_first' });
    voiceChannels = server.sandbox.guilds[0]!.voiceChannelIds;
  });
  after(async () => {
    await server.client.destroy();
    await server.sandbox.close();
  });

  it('answers op 4 with VOICE_STATE_UPDATE then VOICE_SERVER_UPDATE by default', async () => {
    const defaults = await start();
    try {
      const channel = defaults.sandbox.guilds[0]!.voiceChannelIds[0]!;
      assert.deepEqual(await voiceAnswer(defaults, channel), ['VOICE_STATE_UPDATE', 'VOICE_SERVER_UPDATE']);
    } finally {
      await defaults.client.destroy();
      await defaults.sandbox.close();
    }
  });

  it('GIVEN voiceEventOrder server_first at start THEN VOICE_SERVER_UPDATE comes first, numbered first', async () => {
    const from = server.sandbox.gatewayEvents.length;
    assert.deepEqual(await voiceAnswer(server, voiceChannels[0]!), ['VOICE_SERVER_UPDATE', 'VOICE_STATE_UPDATE']);
    const sent = server.sandbox.gatewayEvents.slice(from).filter((e) => e.t?.startsWith('VOICE_'));
    assert.deepEqual(
      sent.map((e) => e.t),
      ['VOICE_SERVER_UPDATE', 'VOICE_STATE_UPDATE'],
    );
    assert.ok(sent[0]!.s! < sent[1]!.s!, 'sequence numbers follow the order');
  });

  it('GIVEN server_first THEN leaving voice still brings no VOICE_SERVER_UPDATE', async () => {
    assert.deepEqual(await voiceAnswer(server, null), ['VOICE_STATE_UPDATE']);
  });

  it('GIVEN voiceEventOrder(state_first) at runtime THEN the next join answers state first, and back again', async () => {
    server.sandbox.voiceEventOrder('state_first');
    assert.deepEqual(await voiceAnswer(server, voiceChannels[0]!), ['VOICE_STATE_UPDATE', 'VOICE_SERVER_UPDATE']);
    server.sandbox.voiceEventOrder('server_first');
    assert.deepEqual(await voiceAnswer(server, voiceChannels[1]!), ['VOICE_SERVER_UPDATE', 'VOICE_STATE_UPDATE']);
  });
});
