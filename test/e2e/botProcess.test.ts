import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { commands } from '../../src/discord/commands/index.js';
import { registerCommands } from '../../src/discord/registerCommands.js';
import { SandboxDiscord } from '../../src/sandbox/discord/SandboxDiscord.js';
import { SandboxToken } from '../support/BotHarness.js';
import { BotProcess } from '../support/BotProcess.js';
import { DatabaseTarget } from '../support/DatabaseTarget.js';
import { OtlpReceiver } from '../support/otlp/OtlpReceiver.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return address.port;
}

async function healthPort(bot: BotProcess): Promise<number> {
  const line = await bot.waitForLog((l) => l.msg === 'health server listening');
  return Number(line.port);
}

describe('The bot as a process', () => {
  let discord: SandboxDiscord;
  // One database for the file: its bots run one after the other, never two at once.
  let database: DatabaseTarget;
  before(async () => {
    database = await DatabaseTarget.create();
    discord = await SandboxDiscord.start({ token: SandboxToken, heartbeatIntervalMs: 1_000 });
    await registerCommands(commands, {
      token: SandboxToken,
      applicationId: discord.applicationId,
      apiUrl: discord.restUrl,
    });
  });
  after(async () => {
    await discord?.close();
    await database?.close();
  });

  const baseEnv = () => ({
    DISCORD_TOKEN: SandboxToken,
    METRONOME_DISCORD_API_URL: discord.restUrl,
    METRONOME_HEALTH_HOST: '127.0.0.1',
    METRONOME_HEALTH_PORT: '0',
    ...database.env(),
  });
  const member = () => {
    const guild = discord.guilds[0];
    if (!guild) throw new Error('no guild');
    return { guildId: guild.id, channelId: guild.textChannelId, userId: guild.memberIds[0] ?? '' };
  };

  it('GIVEN an invalid value THEN start-up stops with one message naming the key, the problem and the variable', async () => {
    const bot = BotProcess.spawn({ ...baseEnv(), METRONOME_HEALTH_PORT: 'eighty' });
    const { code } = await bot.exited;
    assert.equal(code, 78);
    const message = bot.stderr.join('\n');
    assert.match(message, /health\.port/);
    assert.match(message, /METRONOME_HEALTH_PORT/);
    assert.ok(!message.includes(SandboxToken));
  });

  it('GIVEN no collector listening THEN the bot still answers, counts what it drops and warns once per interval', async () => {
    const port = await closedPort();
    const bot = BotProcess.spawn({
      ...baseEnv(),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      METRONOME_TELEMETRY_METRIC_EXPORT_INTERVAL_MS: '300',
      METRONOME_TELEMETRY_METRIC_EXPORT_TIMEOUT_MS: '250',
      METRONOME_TELEMETRY_SPAN_BATCH_SCHEDULE_DELAY_MS: '100',
      METRONOME_TELEMETRY_LOG_BATCH_SCHEDULE_DELAY_MS: '100',
    });
    try {
      const health = await healthPort(bot);
      await bot.waitForLog((l) => l.msg === 'discord ready');
      for (let i = 0; i < 3; i++) {
        const reply = await discord.runCommand({ ...member(), command: 'ping' }).reply({ timeoutMs: 10_000 });
        assert.match(reply.content ?? '', /Pong/);
      }
      const detail = await waitForDropped(health);
      assert.ok(detail.traces.dropped + detail.metrics.dropped + detail.logs.dropped > 0);
      await new Promise((r) => setTimeout(r, 2_000));
      const warnings = bot.logs().filter((l) => String(l.msg).startsWith('telemetry export failing'));
      const perSignal = new Map<string, number>();
      for (const w of warnings) perSignal.set(String(w.signal), (perSignal.get(String(w.signal)) ?? 0) + 1);
      assert.ok(perSignal.size >= 1, 'a warning was logged');
      for (const [signal, count] of perSignal) assert.equal(count, 1, `${signal} warned ${count} times`);
      assert.equal((await fetch(`http://127.0.0.1:${health}/livez`)).status, 200);
    } finally {
      bot.kill();
      await bot.exited;
    }
  });

  it('GIVEN OTEL_SDK_DISABLED=true THEN the bot runs normally and exports nothing', async () => {
    const receiver = await OtlpReceiver.start();
    const bot = BotProcess.spawn({
      ...baseEnv(),
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
    });
    try {
      await bot.waitForLog((l) => l.msg === 'discord ready');
      const reply = await discord.runCommand({ ...member(), command: 'ping' }).reply({ timeoutMs: 10_000 });
      assert.match(reply.content ?? '', /Pong/);
      bot.kill('SIGTERM');
      assert.equal((await bot.exited).code, 0);
      assert.equal(receiver.requests.length, 0);
      assert.ok(
        bot.logs().some((l) => l.msg === 'command handled'),
        'logs still go to stdout',
      );
    } finally {
      bot.kill();
      await receiver.close();
    }
  });

  it('WHEN SIGTERM arrives during a command THEN readiness goes 503, the command finishes, telemetry is flushed and the exit code is 0', async () => {
    const receiver = await OtlpReceiver.start();
    const bot = BotProcess.spawn({
      ...baseEnv(),
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
      // Long batch delays: only the shutdown flush can deliver the command's span in time.
      METRONOME_TELEMETRY_SPAN_BATCH_SCHEDULE_DELAY_MS: '60000',
    });
    try {
      const health = await healthPort(bot);
      await bot.waitForLog((l) => l.msg === 'discord ready');
      assert.equal((await fetch(`http://127.0.0.1:${health}/readyz`)).status, 200);
      // Discord answers the reply edit with a 1.5 s rate limit, so the command is still running when SIGTERM lands.
      discord.rateLimitNext({ method: 'PATCH', routeIncludes: 'original', retryAfterMs: 1_500 });
      const run = discord.runCommand({ ...member(), command: 'ping' });
      await run.waitFor(() => true, { timeoutMs: 10_000 }); // the deferral arrived: the command is in flight
      bot.kill('SIGTERM');
      assert.equal(await readyzAfterSignal(health), 503);
      const reply = await run.waitFor((m) => /Pong/.test(m.content ?? ''), { timeoutMs: 10_000 });
      assert.match(reply.content ?? '', /Pong/);
      assert.equal((await bot.exited).code, 0);
      const span = receiver.spans().find((s) => s.attributes['discord.interaction.id'] === run.interactionId);
      assert.ok(span, `the command span was flushed before exit: ${receiver.describe()}`);
      assert.equal(span.attributes['metronome.outcome'], 'success');
    } finally {
      bot.kill();
      await receiver.close();
    }
  });
});

/** Polls /readyz briefly: the signal is delivered asynchronously. */
async function readyzAfterSignal(port: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < 40; i++) {
    status = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
    if (status === 503) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return status;
}

interface Exporters {
  traces: { dropped: number };
  metrics: { dropped: number };
  logs: { dropped: number };
}

async function waitForDropped(port: number): Promise<Exporters> {
  const deadline = Date.now() + 15_000;
  let last: Exporters | undefined;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
      telemetry: { exporters: Exporters };
    };
    last = body.telemetry.exporters;
    if (last.traces.dropped + last.metrics.dropped + last.logs.dropped > 0) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing was counted as dropped: ${JSON.stringify(last)}`);
}
