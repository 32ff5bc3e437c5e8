import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DurationBuckets } from '../../src/telemetry/Instruments.js';
import { BotHarness, SandboxToken } from '../support/BotHarness.js';

/**
 * The bot end to end in one process: the real discord.js client against the sandbox Discord, the real OTLP
 * exporters (metrics and logs over gRPC, traces over HTTP) against the test receiver.
 */
describe('GIVEN the bot logged in to the sandbox Discord and exporting to an OTLP receiver', () => {
  let bot: BotHarness;
  before(async () => {
    bot = await BotHarness.start();
  });
  after(async () => {
    await bot?.stop();
  });

  const member = () => {
    const guild = bot.world;
    return { guildId: guild.id, channelId: guild.textChannelId, userId: guild.memberIds[1] ?? guild.memberIds[0] };
  };

  it('WHEN a member runs /ping THEN the reply shows gateway and REST latency', async () => {
    const run = bot.discord.runCommand({ ...member(), command: 'ping' });
    const reply = await run.reply({ timeoutMs: 10_000 });
    assert.match(
      reply.content ?? '',
      /Pong! Gateway heartbeat: \*\*(\d+ ms|measuring…)\*\* · REST round trip: \*\*\d+ ms\*\*/,
    );
  });

  it('THEN a `command ping` span carries the interaction ids and the outcome, with an undici child span for the reply', async () => {
    const { guildId, channelId, userId } = member();
    const run = bot.discord.runCommand({ guildId, channelId, userId, command: 'ping' });
    await run.reply({ timeoutMs: 10_000 });
    const span = await bot.receiver.waitFor(() =>
      bot.receiver
        .spans()
        .find((s) => s.name === 'command ping' && s.attributes['discord.interaction.id'] === run.interactionId),
    );
    assert.equal(span.transport, 'http', 'traces travel over OTLP/HTTP');
    assert.equal(span.attributes['discord.command.name'], 'ping');
    assert.equal(span.attributes['discord.guild.id'], guildId);
    assert.equal(span.attributes['discord.channel.id'], channelId);
    assert.equal(span.attributes['discord.user.id'], userId);
    assert.equal(span.attributes['discord.shard.id'], 0);
    assert.equal(span.attributes['metronome.outcome'], 'success');
    const children = await bot.receiver.waitFor(() => {
      const found = bot.receiver.spans().filter((s) => s.parentSpanId === span.spanId && s.traceId === span.traceId);
      return found.length >= 2 ? found : undefined;
    });
    const urls = children.map((c) => String(c.attributes['url.full'] ?? c.name));
    assert.ok(
      urls.some((u) => u.includes('/interactions/') && u.includes('/callback')),
      urls.join('\n'),
    );
    assert.ok(
      urls.some((u) => u.includes('/webhooks/') && u.includes('original')),
      urls.join('\n'),
    );
    for (const url of urls)
      assert.match(url, /\/(interactions|webhooks)\/\d+\/\[redacted\]\//, 'interaction tokens never reach a span');
  });

  it('THEN the log records of the command carry its trace id and arrive over OTLP/gRPC', async () => {
    const run = bot.discord.runCommand({ ...member(), command: 'ping' });
    await run.reply({ timeoutMs: 10_000 });
    const span = await bot.receiver.waitFor(() =>
      bot.receiver.spans().find((s) => s.attributes['discord.interaction.id'] === run.interactionId),
    );
    const log = await bot.receiver.waitFor(() =>
      bot.receiver.logs().find((l) => l.traceId === span.traceId && l.body === 'command handled'),
    );
    assert.equal(log.transport, 'grpc');
    assert.equal(log.spanId, span.spanId);
    assert.equal(log.attributes.logger, 'commands');
    assert.equal(log.attributes.command, 'ping');
    const local = bot.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(
      local.some((l) => l.trace_id === span.traceId && l.msg === 'command handled'),
      'the local JSON line carries trace_id too',
    );
  });

  it('THEN command and Discord REST metrics arrive over OTLP/gRPC with templated routes and second buckets', async () => {
    const duration = await bot.receiver.waitFor(() =>
      bot.receiver
        .metrics()
        .find(
          (m) =>
            m.name === 'metronome.command.duration' &&
            m.attributes.command === 'ping' &&
            m.attributes.outcome === 'success',
        ),
    );
    assert.equal(duration.transport, 'grpc');
    assert.equal(duration.kind, 'histogram');
    assert.equal(duration.unit, 's');
    assert.deepEqual(duration.explicitBounds, DurationBuckets);
    assert.ok((duration.count ?? 0) >= 1);

    const rest = await bot.receiver.waitFor(() =>
      bot.receiver
        .metrics()
        .filter(
          (m) =>
            m.name === 'metronome.discord.rest.requests' && m.attributes.route === '/interactions/:id/:token/callback',
        ),
    );
    assert.ok(rest.length > 0 && rest.every((m) => m.attributes.method === 'POST'));
    const routes = new Set(
      bot.receiver
        .metrics()
        .filter((m) => m.name.startsWith('metronome.discord.rest'))
        .map((m) => String(m.attributes.route)),
    );
    for (const route of routes) assert.doesNotMatch(route, /\d{17,}/, `route ${route} leaks an id`);
    assert.ok(
      [...routes].some((r) => r === '/webhooks/:id/:token/messages/@original'),
      [...routes].join(', '),
    );
  });

  it('THEN gateway and shard instruments report shard 0', async () => {
    await bot.receiver.waitFor(() =>
      bot.receiver
        .metrics()
        .find(
          (m) =>
            m.name === 'metronome.discord.gateway.events' &&
            m.attributes.type === 'INTERACTION_CREATE' &&
            m.attributes['shard.id'] === 0,
        ),
    );
    const status = await bot.receiver.waitFor(() =>
      bot.receiver
        .metrics()
        .find((m) => m.name === 'metronome.discord.shard.status' && m.attributes.status === 'ready' && m.value === 1),
    );
    assert.equal(status.attributes['shard.id'], 0);
    const guilds = await bot.receiver.waitFor(() =>
      bot.receiver.metrics().find((m) => m.name === 'metronome.discord.guilds' && m.attributes['shard.id'] === 0),
    );
    assert.equal(guilds.value, bot.discord.guilds.length);
    await bot.receiver.waitFor(() =>
      bot.receiver.metrics().find((m) => m.name === 'metronome.discord.shard.latency' && m.unit === 's'),
    );
    await bot.receiver.waitFor(() =>
      bot.receiver
        .metrics()
        .find((m) => m.name === 'metronome.job.last_success.age' && m.attributes.job === 'heartbeat'),
    );
  });

  it('THEN every signal carries the resource of the telemetry contract', async () => {
    const span = await bot.receiver.waitFor(() => bot.receiver.spans()[0]);
    const metric = await bot.receiver.waitFor(() => bot.receiver.metrics()[0]);
    const log = await bot.receiver.waitFor(() => bot.receiver.logs()[0]);
    for (const resource of [span.resource, metric.resource, log.resource]) {
      assert.equal(resource['service.name'], 'metronome');
      assert.equal(resource['service.namespace'], 'metronome');
      assert.equal(resource['deployment.environment.name'], 'development');
      assert.match(String(resource['service.version']), /^\d+\.\d+\.\d+/);
      assert.ok(String(resource['service.instance.id']).length > 0);
    }
  });

  it('WHEN a member runs a command the bot does not know THEN they get a friendly ephemeral reply and it counts as user_error', async () => {
    // Only a client with an outdated command list still offers a command the bot no longer has.
    const run = bot.discord.runCommand({ ...member(), command: 'dance', stale: true });
    const reply = await run.reply({ timeoutMs: 10_000 });
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content ?? '', /do not know that command/);
    const span = await bot.receiver.waitFor(() =>
      bot.receiver.spans().find((s) => s.attributes['discord.interaction.id'] === run.interactionId),
    );
    assert.equal(span.name, 'command unknown', 'user text never becomes a span name');
    assert.equal(span.attributes['metronome.outcome'], 'user_error');
    assert.equal(span.status.code, 'unset', 'a user error is not a span error');
  });

  it('WHEN Discord keeps failing the reply THEN the member gets an error reply with a trace reference and the span is an error', async () => {
    bot.discord.failNext({ method: 'PATCH', routeIncludes: 'original', status: 500, count: 4 });
    const run = bot.discord.runCommand({ ...member(), command: 'ping' });
    const reply = await run.waitFor((m) => /reference/.test(m.content ?? ''), { timeoutMs: 20_000 });
    const ref = /`([0-9a-f]{12})`/.exec(reply.content ?? '')?.[1];
    assert.ok(ref, reply.content ?? '');
    const span = await bot.receiver.waitFor(() =>
      bot.receiver.spans().find((s) => s.attributes['discord.interaction.id'] === run.interactionId),
    );
    assert.equal(span.traceId.slice(0, 12), ref);
    assert.equal(span.attributes['metronome.outcome'], 'error');
    assert.equal(span.status.code, 'error');
    const log = await bot.receiver.waitFor(() =>
      bot.receiver.logs().find((l) => l.traceId === span.traceId && l.body === 'command failed'),
    );
    assert.equal(log.attributes.error_ref, ref);
    assert.equal(log.severityText, 'error');
  });

  it('WHEN an admin views /settings THEN its database queries are pg client spans inside the command trace', async () => {
    const guild = bot.world;
    const admin = guild.memberIds[0] ?? '';
    const run = bot.discord.runCommand({
      guildId: guild.id,
      channelId: guild.textChannelId,
      userId: admin,
      command: 'settings',
      subcommand: 'view',
    });
    await run.reply({ timeoutMs: 10_000 });
    const command = await bot.receiver.waitFor(() =>
      bot.receiver.spans().find((s) => s.attributes['discord.interaction.id'] === run.interactionId),
    );
    assert.equal(command.name, 'command settings');
    const query = await bot.receiver.waitFor(() =>
      bot.receiver.spans().find((s) => s.traceId === command.traceId && s.name.startsWith('pg.query:')),
    );
    assert.equal(query.kind, 'client');
    // The query span hangs under the command span through the repository span, never a trace of its own.
    const byId = new Map(bot.receiver.spans().map((s) => [s.spanId, s]));
    const ancestors: string[] = [];
    for (let parent = byId.get(query.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) {
      ancestors.push(parent.name);
    }
    assert.ok(ancestors.includes('command settings'), ancestors.join(' < '));
    assert.ok(
      ancestors.some((name) => name.startsWith('db GuildSettings.')),
      ancestors.join(' < '),
    );
  });

  it('THEN the Discord token never appears in any exported span, metric or log, nor in local log lines', async () => {
    await bot.telemetry.forceFlush();
    const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
    const exported = JSON.stringify([bot.receiver.spans(), bot.receiver.metrics(), bot.receiver.logs()], replacer);
    assert.ok(exported.length > 1000, 'something was exported');
    assert.ok(!exported.includes(SandboxToken));
    assert.ok(!bot.lines.join('\n').includes(SandboxToken));
  });

  it('THEN the health server reports ready, live, and the shard detail', async () => {
    const ready = await fetch(`${bot.healthUrl}/readyz?verbose`);
    assert.equal(ready.status, 200);
    assert.match(await ready.text(), /\[\+\]discord ok/);
    assert.equal((await fetch(`${bot.healthUrl}/livez`)).status, 200);
    const detail = (await (await fetch(`${bot.healthUrl}/healthz`)).json()) as {
      status: string;
      shards: { id: number; status: string }[];
    };
    assert.equal(detail.status, 'ok');
    assert.deepEqual(
      detail.shards.map((s) => [s.id, s.status]),
      [[0, 'ready']],
    );
    assert.ok(!JSON.stringify(detail).includes(SandboxToken));
  });
});
