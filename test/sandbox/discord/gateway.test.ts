import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { type Client, Events, type GatewayDispatchPayload, GatewayOpcodes } from 'discord.js';
import { SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { loginClient } from './loginClient.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('sandbox Discord gateway', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  const raw: GatewayDispatchPayload[] = [];

  before(async () => {
    sandbox = await SandboxDiscord.start({ heartbeatIntervalMs: 200 });
    client = await loginClient(sandbox);
    client.on(Events.Raw, (packet: GatewayDispatchPayload) => raw.push(packet));
  });
  after(async () => {
    await client.destroy();
    await sandbox.close();
  });

  it('resumes after a 4000 close and replays the events missed meanwhile', async () => {
    const guild = sandbox.guilds[0]!;
    const resumed = once(client, Events.ShardResume);
    assert.equal(sandbox.disconnectShard(0, 4000), 1);
    sandbox.moveMember(guild.id, 'bob', 'Music');
    const [shardId, replayed] = await resumed;
    assert.equal(shardId, 0);
    assert.ok(replayed >= 1, `replayed ${replayed}`);
    assert.equal(
      client.guilds.cache.get(guild.id)?.voiceStates.cache.get(guild.member('bob')!.user.id)?.channel?.name,
      'Music',
    );
    const shard = sandbox.sessions.get(0);
    assert.equal(shard?.identified, 1);
    assert.equal(shard?.resumed, 1);
    assert.deepEqual(shard?.closeCodes, [4000]);
    assert.ok(sandbox.gatewayEvents.some((e) => e.replayed && e.t === 'VOICE_STATE_UPDATE'));
    sandbox.moveMember(guild.id, 'bob', null);
  });

  it('makes the client resume when told to reconnect (op 7)', async () => {
    const resumed = once(client, Events.ShardResume);
    assert.equal(sandbox.reconnectShard(0), 1);
    await resumed;
    assert.equal(sandbox.sessions.get(0)?.resumed, 2);
  });

  it('answers a voice state update (op 4) with VOICE_STATE_UPDATE then VOICE_SERVER_UPDATE', async () => {
    const guild = client.guilds.cache.get(sandbox.guilds[0]!.id)!;
    const voiceChannel = sandbox.guilds[0]!.voiceChannelIds[0]!;
    const from = raw.length;
    guild.shard.send({
      op: GatewayOpcodes.VoiceStateUpdate,
      d: { guild_id: guild.id, channel_id: voiceChannel, self_mute: false, self_deaf: true },
    });
    await until(() => raw.slice(from).some((p) => p.t === 'VOICE_SERVER_UPDATE'));
    const events = raw.slice(from).filter((p) => p.t === 'VOICE_STATE_UPDATE' || p.t === 'VOICE_SERVER_UPDATE');
    assert.deepEqual(
      events.map((p) => p.t),
      ['VOICE_STATE_UPDATE', 'VOICE_SERVER_UPDATE'],
    );
    const [state, server] = events;
    assert.equal(state?.t, 'VOICE_STATE_UPDATE');
    assert.equal(state.d.user_id, client.user.id);
    assert.equal(state.d.channel_id, voiceChannel);
    assert.equal(state.d.self_deaf, true);
    assert.equal(state.d.session_id, sandbox.sessions.get(0)?.sessionId);
    assert.equal(server?.t, 'VOICE_SERVER_UPDATE');
    assert.equal(server.d.guild_id, guild.id);
    assert.match(server.d.token, /^[0-9a-f]{16}$/);
    assert.ok(server.d.endpoint);
    await until(() => guild.members.me?.voice.channelId === voiceChannel);
    assert.equal(sandbox.guilds[0]!.voiceStates.get(client.user.id)?.channelId, voiceChannel);

    const leaveFrom = raw.length;
    guild.shard.send({
      op: GatewayOpcodes.VoiceStateUpdate,
      d: { guild_id: guild.id, channel_id: null, self_mute: false, self_deaf: false },
    });
    await until(() => guild.members.me?.voice.channelId === null);
    assert.ok(!raw.slice(leaveFrom).some((p) => p.t === 'VOICE_SERVER_UPDATE'));
  });

  it('answers a member request (op 8) with GUILD_MEMBERS_CHUNK', async () => {
    const guild = client.guilds.cache.get(sandbox.guilds[0]!.id)!;
    const members = await guild.members.fetch({ query: 'car', limit: 5 });
    assert.deepEqual(
      [...members.values()].map((m) => m.user.username),
      ['carol'],
    );
  });

  it('accepts presence updates (op 3) and remembers them', async () => {
    client.user.setPresence({ activities: [{ name: 'lofi beats' }], status: 'online' });
    await until(() => JSON.stringify(sandbox.sessions.get(0)?.presence ?? null).includes('lofi beats'));
  });

  it('makes the client identify again after a non-resumable INVALID_SESSION', { timeout: 15_000 }, async () => {
    const ready = once(client, Events.ShardReady);
    assert.equal(sandbox.invalidateSession(0, false), 1);
    await ready;
    assert.equal(sandbox.sessions.get(0)?.identified, 2);
    assert.equal(sandbox.sessions.get(0)?.connected, true);
  });
});
