import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { type Client, DiscordAPIError, Events, RateLimitError, type TextChannel } from 'discord.js';
import { SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { loginClient } from './loginClient.js';

describe('sandbox Discord REST API', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  let strict: Client<true>;
  let channelId: string;
  const channel = (c: Client<true>): TextChannel => c.channels.cache.get(channelId) as TextChannel;

  before(async () => {
    sandbox = await SandboxDiscord.start();
    channelId = sandbox.guilds[0]!.textChannelId;
    client = await loginClient(sandbox);
    strict = await loginClient(sandbox, { rest: { rejectOnRateLimit: () => true } });
  });
  after(async () => {
    await client.destroy();
    await strict.destroy();
    await sandbox.close();
  });

  it('posts, edits and deletes channel messages and dispatches them to the gateway', async () => {
    const created = once(client, Events.MessageCreate);
    const message = await channel(client).send('hello');
    const [dispatched] = await created;
    assert.equal(dispatched.id, message.id);
    assert.equal(message.author.id, sandbox.botUser.id);
    assert.equal(sandbox.channelMessages(channelId).at(-1)?.content, 'hello');
    await message.edit('hello again');
    assert.equal(sandbox.channelMessages(channelId).at(-1)?.content, 'hello again');
    assert.ok(sandbox.channelMessages(channelId).at(-1)?.edited_timestamp);
    await message.delete();
    assert.ok(!sandbox.channelMessages(channelId).some((m) => m.id === message.id));
  });

  it('rejects a message over 2000 characters with Invalid Form Body', async () => {
    await assert.rejects(
      channel(client).send('x'.repeat(2001)),
      (error: unknown) => error instanceof DiscordAPIError && error.code === 50035,
    );
  });

  it('serves guilds, members and channels', async () => {
    const guild = client.guilds.cache.get(sandbox.guilds[0]!.id)!;
    const bob = await guild.members.fetch({ user: sandbox.member(guild.id, 'bob')!.user.id, force: true });
    assert.equal(bob.user.username, 'bob');
    const fetchedGuild = await client.guilds.fetch({ guild: guild.id, force: true });
    assert.equal(fetchedGuild.name, guild.name);
    const fetchedChannel = await client.channels.fetch(channelId, { force: true });
    assert.equal(fetchedChannel?.id, channelId);
  });

  it('puts rate-limit headers on every response', async () => {
    const response = await fetch(`${sandbox.restUrl}/v10/users/@me`, {
      headers: { Authorization: `Bot ${sandbox.token}` },
    });
    assert.equal(response.status, 200);
    for (const header of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'x-ratelimit-reset-after',
    ]) {
      assert.match(response.headers.get(header) ?? '', /^\d+(\.\d+)?$/, header);
    }
    assert.match(response.headers.get('x-ratelimit-bucket') ?? '', /^[0-9a-f]{32}$/);
  });

  it('answers Discord-shaped errors for a missing token and an unknown route', async () => {
    const unauthorized = await fetch(`${sandbox.restUrl}/v10/users/@me`);
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(await unauthorized.json(), { message: '401: Unauthorized', code: 0 });
    const unknown = await fetch(`${sandbox.restUrl}/v10/nothing/here`, {
      headers: { Authorization: `Bot ${sandbox.token}` },
    });
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { message: '404: Not Found', code: 0 });
    const missing = await fetch(`${sandbox.restUrl}/v10/channels/1`, {
      headers: { Authorization: `Bot ${sandbox.token}` },
    });
    assert.deepEqual(await missing.json(), { message: 'Unknown Channel', code: 10003 });
  });

  it('makes a client with rejectOnRateLimit reject an injected 429 with a RateLimitError', async () => {
    sandbox.rateLimitNext({ method: 'POST', routeIncludes: `/channels/${channelId}/messages`, retryAfterMs: 300 });
    await assert.rejects(channel(strict).send('limited'), (error: unknown) => {
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.scope, 'user');
      assert.ok(error.retryAfter >= 300);
      return true;
    });
    const last = sandbox.requests.at(-1);
    assert.equal(last?.status, 429);
    assert.equal(last?.injected, 'rateLimit');
  });

  it('lets a default client wait out an injected 429 and succeed', async () => {
    sandbox.rateLimitNext({ method: 'POST', routeIncludes: '/messages', retryAfterMs: 250 });
    const started = Date.now();
    const message = await channel(client).send('patient');
    assert.equal(message.content, 'patient');
    const attempts = sandbox.requests.filter((r) => r.method === 'POST' && r.at >= started);
    assert.deepEqual(
      attempts.map((r) => r.status),
      [429, 200],
    );
    assert.ok(attempts[1]!.at - attempts[0]!.at >= 240, 'retried after retry_after');
  });

  it('lets a default client wait out a global 429', async () => {
    sandbox.rateLimitNext({ method: 'GET', routeIncludes: '/guilds/', retryAfterMs: 150, global: true });
    const started = Date.now();
    await client.guilds.fetch({ guild: sandbox.guilds[0]!.id, force: true });
    const attempts = sandbox.requests.filter((r) => r.path.startsWith('/guilds/') && r.at >= started);
    assert.deepEqual(
      attempts.map((r) => r.status),
      [429, 200],
    );
  });

  it('lets discord.js retry an injected 5xx and give up after its retries', async () => {
    sandbox.failNext({ method: 'POST', routeIncludes: '/messages', status: 502 });
    const message = await channel(client).send('after a 502');
    assert.equal(message.content, 'after a 502');
    sandbox.failNext({ method: 'POST', routeIncludes: '/messages', status: 500, count: 4 });
    await assert.rejects(channel(client).send('never'), { name: 'HTTPError', status: 500 });
  });
});
