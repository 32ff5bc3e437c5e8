import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { ChannelType, type Client, DiscordjsErrorCodes, Events } from 'discord.js';
import { SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { loginClient, sandboxClient } from './loginClient.js';

describe('sandbox Discord login', () => {
  const clients: Client[] = [];
  const sandboxes: SandboxDiscord[] = [];
  const start = async (...args: Parameters<typeof SandboxDiscord.start>): Promise<SandboxDiscord> => {
    const sandbox = await SandboxDiscord.start(...args);
    sandboxes.push(sandbox);
    return sandbox;
  };
  after(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await Promise.all(sandboxes.map((s) => s.close()));
  });

  it('lets discord.js log in and become ready with the default guild cached', async () => {
    const sandbox = await start();
    const client = await loginClient(sandbox);
    clients.push(client);
    const [spec] = sandbox.guilds;
    assert.ok(spec);
    const guild = client.guilds.cache.get(spec.id);
    assert.ok(guild, 'guild is cached');
    assert.equal(guild.available, true);
    assert.equal(guild.name, 'Metronome Sandbox');
    assert.equal(guild.memberCount, 5);
    assert.equal(guild.channels.cache.filter((c) => c.type === ChannelType.GuildText).size, 1);
    assert.equal(guild.channels.cache.filter((c) => c.type === ChannelType.GuildVoice).size, 2);
    assert.ok(guild.roles.cache.find((r) => r.name === 'Admin'));
    assert.equal(guild.members.me?.id, sandbox.botUser.id);
    assert.equal(client.user.id, sandbox.applicationId);
    assert.equal(client.application.id, sandbox.applicationId);
    assert.deepEqual(
      sandbox.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /gateway/bot'],
    );
    const shard = sandbox.sessions.get(0);
    assert.equal(shard?.identified, 1);
    assert.equal(shard?.connected, true);
  });

  it('rejects login with a wrong token as an invalid token', async () => {
    const sandbox = await start();
    const client = sandboxClient(sandbox);
    clients.push(client);
    await assert.rejects(client.login('not-the-token'), { code: DiscordjsErrorCodes.TokenInvalid });
    assert.deepEqual(
      sandbox.requests.map((r) => r.status),
      [401],
    );
  });

  it('acknowledges heartbeats so the client measures a ping', async () => {
    const sandbox = await start({ heartbeatIntervalMs: 100 });
    const client = await loginClient(sandbox);
    clients.push(client);
    const deadline = Date.now() + 2000;
    while (client.ws.ping < 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(client.ws.ping >= 0, `ping is ${client.ws.ping}`);
    const shard = sandbox.sessions.get(0);
    assert.ok((shard?.heartbeats ?? 0) >= 1);
    assert.ok(sandbox.gatewayEvents.some((e) => e.direction === 'sent' && e.op === 11));
  });

  it('sends GUILD_CREATE when a guild is added after login, like a bot joining a guild', async () => {
    const sandbox = await start();
    const client = await loginClient(sandbox);
    clients.push(client);
    const joined = once(client, Events.GuildCreate);
    const guild = sandbox.addGuild({ name: 'Late Guild', channels: [{ name: 'chat', kind: 'text' }] });
    const [created] = await joined;
    assert.equal(created.id, guild.id);
    assert.equal(created.channels.cache.first()?.name, 'chat');
  });

  it('serves two shards that both become ready when the client asks for automatic sharding', async () => {
    const sandbox = await start({ shardCount: 2, guilds: [{ name: 'Even' }, { name: 'Odd' }] });
    const shardsReady: number[] = [];
    const client = sandboxClient(sandbox, { shards: 'auto' });
    clients.push(client);
    client.on(Events.ShardReady, (id) => shardsReady.push(id));
    const ready = once(client, Events.ClientReady);
    await client.login(sandbox.token);
    await ready;
    assert.deepEqual(shardsReady.sort(), [0, 1]);
    assert.equal(client.ws.shards.size, 2);
    const even = client.guilds.cache.find((g) => g.name === 'Even');
    const odd = client.guilds.cache.find((g) => g.name === 'Odd');
    assert.equal(even?.shardId, 0);
    assert.equal(odd?.shardId, 1);
    assert.equal(sandbox.sessions.get(0)?.shardCount, 2);
    assert.equal(sandbox.sessions.get(1)?.identified, 1);
  });
});
