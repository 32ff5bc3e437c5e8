import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/db/Database.js';
import { commands } from '../../src/discord/commands/index.js';
import { registerCommands } from '../../src/discord/registerCommands.js';
import type { ChatInputRunInput, RunCommandInput } from '../../src/sandbox/discord/interactions/RunCommandInput.js';
import { SandboxDiscord } from '../../src/sandbox/discord/SandboxDiscord.js';
import { defaultGuildSpec } from '../../src/sandbox/discord/state/defaultGuildSpec.js';
import { SandboxLavalink } from '../../src/sandbox/lavalink/index.js';
import { SandboxLavalinkPassword, SandboxToken } from '../support/BotHarness.js';
import { BotProcess } from '../support/BotProcess.js';
import { DatabaseTarget } from '../support/DatabaseTarget.js';
import { eventually } from '../support/eventually.js';
import { OtlpReceiver } from '../support/otlp/OtlpReceiver.js';
import type { ReceivedSpan } from '../support/otlp/ReceivedTelemetry.js';
import { TcpProxy } from '../support/TcpProxy.js';

/** What a member reads when a command needs the database and it is down (`outageMessage` in replyWithError.ts). */
const outageReply = (reference: string) =>
  `I cannot reach my database right now, so I cannot check settings, permissions or history. Music that is already playing keeps playing. Try again in a minute; if it keeps happening, give the bot's operators this reference: \`${reference}\``;
/** instrumentation-pg's sqlcommenter comment (sql-common), at the very end of the query text. */
const Traceparent = /\/\*traceparent='00-([0-9a-f]{32})-([0-9a-f]{16})-01'\*\/$/;
/** In the bot's URL; the local servers trust loopback connections, so only a leak would ever show it. */
const Password = new URL(process.env.DATABASE_URL ?? 'postgres://localhost').password || 'outage-secret-7f3a';

/**
 * A database outage under the real bot process: the sandbox Discord, a sandbox Lavalink node and an OTLP receiver in
 * this process, and the bot's every database connection through a {@link TcpProxy} this test stops and starts. The
 * database behind it is a fresh one on `DATABASE_URL`'s server, or, without, embedded PGlite hosted by this process
 * and served on its socket. This process also keeps a direct connection, to check what was written.
 */
describe('GIVEN the bot process playing music, its database reached through a proxy', () => {
  let database: DatabaseTarget;
  let direct: Database;
  let proxy: TcpProxy;
  let discord: SandboxDiscord;
  let node: SandboxLavalink;
  let receiver: OtlpReceiver;
  let bot: BotProcess;
  let health: string;

  const guild = () => discord.guild('Metronome Sandbox');
  const userId = (user: string) => guild().member(user)?.user.id ?? assert.fail(`no member ${user}`);
  const start = (user: string, input: RunCommandInput) =>
    discord.runCommand({ ...input, guildId: guild().id, channelId: guild().textChannelId, userId: userId(user) });
  const run = (user: string, input: RunCommandInput) => start(user, input).reply({ timeoutMs: 15_000 });
  const playing = () => node.players().find((p) => p.guildId === guild().id && p.track !== null);
  const probe = async (path: string) => {
    const response = await fetch(`${health}${path}`);
    return { status: response.status, body: await response.text() };
  };
  /** The span of the command an interaction ran, once exported. */
  const commandSpan = (interactionId: string) =>
    receiver.waitFor(() => receiver.spans().find((s) => s.attributes['discord.interaction.id'] === interactionId));
  /** A `metronome.db.errors` point of `collection` with `error.type` connection, once exported. */
  const connectionErrors = (collection: string) =>
    receiver.waitFor(
      () =>
        receiver
          .metrics()
          .find(
            (m) =>
              m.name === 'metronome.db.errors' &&
              m.attributes['error.type'] === 'connection' &&
              m.attributes['db.collection.name'] === collection,
          ),
      { description: `metronome.db.errors of ${collection}` },
    );
  /** Spans exported by instrumentation-pg in the command's trace whose ancestors lead to the command span. */
  const pgSpansUnder = (command: ReceivedSpan) => {
    const byId = new Map(receiver.spans().map((s) => [s.spanId, s]));
    const descends = (span: ReceivedSpan) => {
      for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) {
        if (parent.spanId === command.spanId) return true;
      }
      return false;
    };
    return receiver
      .spans()
      .filter(
        (s) => s.traceId === command.traceId && s.scope.name === '@opentelemetry/instrumentation-pg' && descends(s),
      );
  };

  before(async () => {
    database = await DatabaseTarget.create();
    // Without DATABASE_URL this hosts the embedded database, served over pglite-socket (which accepts 4
    // connections at once: this pool's 1, the bot's 1, and room for a replacement while a reset one is counted).
    const { Database } = await import('../../src/db/Database.js');
    direct = new Database({ ...database.databaseOptions(), poolSize: 1 });
    await direct.start();
    const endpoint = direct.endpoint ?? assert.fail('the database has no endpoint');
    proxy = new TcpProxy(endpoint);
    const url = new URL(`postgres://127.0.0.1:${await proxy.start()}/${endpoint.database}`);
    url.username = endpoint.user;
    url.password = Password;
    receiver = await OtlpReceiver.start();
    discord = await SandboxDiscord.start({
      token: SandboxToken,
      heartbeatIntervalMs: 1_000,
      guilds: [defaultGuildSpec()],
    });
    node = await SandboxLavalink.start({
      name: 'node-1',
      password: SandboxLavalinkPassword,
      playerUpdateIntervalMs: 500,
    });
    await registerCommands(commands, {
      token: SandboxToken,
      applicationId: discord.applicationId,
      apiUrl: discord.restUrl,
    });
    discord.moveMember(guild().id, userId('alice'), guild().channel('Music')?.id ?? assert.fail('no Music channel'));
    bot = BotProcess.spawn({
      DISCORD_TOKEN: SandboxToken,
      METRONOME_DISCORD_API_URL: discord.restUrl,
      METRONOME_HEALTH_HOST: '127.0.0.1',
      METRONOME_HEALTH_PORT: '0',
      METRONOME_LAVALINK_NODES: `[{name: node-1, url: "${node.address}"}]`,
      LAVALINK_PASSWORD: SandboxLavalinkPassword,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
      METRONOME_TELEMETRY_METRIC_EXPORT_INTERVAL_MS: '500',
      METRONOME_TELEMETRY_METRIC_EXPORT_TIMEOUT_MS: '400',
      METRONOME_TELEMETRY_SPAN_BATCH_SCHEDULE_DELAY_MS: '100',
      DATABASE_URL: url.href,
      // PGlite is one session: the bot's pool gets one connection, as the embedded engine would give it.
      ...(database.engine === 'pglite' ? { METRONOME_DATABASE_POOL_SIZE: '1' } : {}),
    });
    const listening = await bot.waitForLog((line) => line.msg === 'health server listening', 30_000);
    health = `http://127.0.0.1:${Number(listening.port)}`;
    await bot.waitForLog((line) => line.msg === 'discord ready', 30_000);
  });
  after(async () => {
    if (bot) {
      bot.kill('SIGKILL');
      await bot.exited;
    }
    await proxy?.stop();
    await node?.close();
    await discord?.close();
    await receiver?.close();
    await direct?.close();
    await database?.close();
  });

  it('WHEN alice plays a track and queues another THEN the node plays it', async () => {
    const play = await run('alice', { command: 'play', options: { query: 'night drive' } });
    assert.match(play.embeds[0]?.description ?? '', /Now playing/);
    const queued = await run('alice', { command: 'play', options: { query: 'golden hour' } });
    assert.match(queued.embeds[0]?.description ?? '', /Queued/);
    await eventually('Night Drive on the node', () => playing()?.track?.info.title === 'Night Drive');
  });

  it('WHEN the database goes down THEN the node plays on and /queue still answers', async () => {
    await proxy.stop();
    const before = playing() ?? assert.fail('nothing plays');
    await eventually('the position to advance', () => {
      const now = playing();
      return now?.sessionId === before.sessionId && now.position >= before.position + 1_000;
    });
    const queue = await run('alice', { command: 'queue' });
    assert.match(queue.embeds[0]?.description ?? '', /^\*\*Now playing:\*\* \[Night Drive\]/);
    assert.match(queue.embeds[0]?.description ?? '', /`1\.` \[Golden Hour\]/);
  });

  it('THEN /settings view gets the outage reply, with its trace reference and without the database URL', async () => {
    const view = start('alice', { command: 'settings', subcommand: 'view' });
    const reply = await view.reply({ timeoutMs: 15_000 });
    const reference = /`([0-9a-f]{12})`$/.exec(reply.content)?.[1] ?? assert.fail(reply.content);
    assert.equal(reply.content, outageReply(reference));
    assert.equal(reply.ephemeral, true);
    assert.equal((await commandSpan(view.interactionId)).traceId.slice(0, 12), reference);
    for (const secret of [Password, 'postgres://', `:${proxy.port}`])
      assert.ok(!reply.content.includes(secret), secret);
    assert.equal(playing()?.track?.info.title, 'Night Drive', 'the music is not touched');
  });

  it('THEN /readyz?verbose reports the database check failed with 503, and /livez stays 200', async () => {
    const ready = await eventually('/readyz to fail', async () => {
      const response = await probe('/readyz?verbose');
      return response.status === 503 ? response : undefined;
    });
    assert.match(ready.body, /^\[-\]database failed: connection: /m);
    assert.match(ready.body, /^\[\+\]discord ok$/m);
    assert.ok(!ready.body.includes(Password));
    assert.equal((await probe('/livez')).status, 200);
  });

  it('THEN the failed reads are counted in metronome.db.errors as error.type connection', async () => {
    const errors = await connectionErrors('guild_settings');
    assert.equal(errors.attributes['db.operation.name'], 'SELECT');
    assert.ok((errors.value ?? 0) >= 1);
  });

  it('WHEN alice skips during the outage THEN the DJ role last read lets her, and Golden Hour plays', async () => {
    assert.equal((await run('alice', { command: 'skip' })).content, '⏭️ Skipped **Night Drive**.');
    await eventually('Golden Hour to follow', () => playing()?.track?.info.title === 'Golden Hour');
  });

  it('THEN the play of the skipped track is buffered, and written once the database is back', async () => {
    const buffering = await bot.waitForLog(
      (line) => line.msg === 'play history cannot be written; buffering until the database is back',
    );
    assert.equal(buffering.error_type, 'connection');
    assert.equal((await connectionErrors('play_history')).attributes['db.operation.name'], 'INSERT');
    const { history } = (JSON.parse((await probe('/healthz')).body) as HealthDetails).database;
    assert.deepEqual([history.pending, history.failing], [1, 'connection']);

    await proxy.start();
    const plays = await eventually(
      'the play in play_history',
      async () => {
        const { rows } = await direct.pool.query<PlayRow>(
          'SELECT guild_id, member_id, title, played_ms FROM play_history',
        );
        return rows.length > 0 ? rows : undefined;
      },
      40_000,
    );
    assert.deepEqual(
      plays.map((p) => [p.guild_id, p.member_id, p.title]),
      [[guild().id, userId('alice'), 'Night Drive']],
    );
    assert.ok((plays[0]?.played_ms ?? 0) > 0);
    await eventually('/readyz to pass', async () => (await probe('/readyz')).status === 200);
    const view = await run('alice', { command: 'settings', subcommand: 'view' });
    assert.equal(view.embeds[0]?.title, 'Settings');
  });

  it('WHEN alice views and changes /settings THEN the database receives each query with the traceparent of a pg span under the command span', async () => {
    const inputs: ChatInputRunInput[] = [
      { command: 'settings', subcommand: 'view' },
      { command: 'settings', subcommand: 'default_volume', options: { level: 40 } },
    ];
    for (const input of inputs) {
      const interaction = start('alice', input);
      await interaction.reply({ timeoutMs: 15_000 });
      const command = await commandSpan(interaction.interactionId);
      assert.equal(command.name, 'command settings');
      assert.equal(command.attributes['metronome.outcome'], 'success');
      const { query, span } = await receiver.waitFor(
        () => {
          const pgSpans = new Map(pgSpansUnder(command).map((s) => [s.spanId, s]));
          for (const query of proxy.queries) {
            const [, traceId, spanId = ''] = Traceparent.exec(query) ?? [];
            const span = traceId === command.traceId ? pgSpans.get(spanId) : undefined;
            if (span) return { query, span };
          }
          return undefined;
        },
        { description: `a query of /settings ${input.subcommand} commented with its pg span` },
      );
      assert.match(query, /"guild_settings"/);
      assert.equal(span.kind, 'client');
    }
  });

  it('WHEN the database stops answering and SIGTERM arrives THEN the last writes give up in time, Discord and telemetry still stop, and the exit code is 0', async () => {
    proxy.hang();
    bot.kill('SIGTERM');
    const { code } = await bot.exited;
    assert.equal(code, 0);
    const messages = bot.logs().map((line) => line.msg);
    assert.ok(
      messages.includes('database writes not finished in time; shutting down without them'),
      messages.join('\n'),
    );
    assert.ok(messages.includes('stopped'), 'shutdown ran to its end');
    assert.ok(!messages.some((m) => String(m).startsWith('shutdown deadline passed')), 'the deadline was not needed');
  });
});

interface HealthDetails {
  database: { history: { pending: number; failing: string | null } };
}

interface PlayRow {
  guild_id: string;
  member_id: string;
  title: string;
  played_ms: number;
}
