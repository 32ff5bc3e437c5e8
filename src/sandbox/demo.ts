import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { App } from '../app.js';
import { configChecks, packageVersion, redactorFor, telemetryOptionsFrom } from '../bootstrap.js';
import { ConfigError } from '../config/ConfigError.js';
import { loadConfig } from '../config/loadConfig.js';
import { Secret } from '../config/Secret.js';
import { commands } from '../discord/commands/index.js';
import { registerCommands } from '../discord/registerCommands.js';
import { startTelemetry } from '../telemetry/TelemetrySdk.js';
import { runMusicScript } from './demoMusic.js';
import { type DemoResult, printSummary } from './demoSummary.js';
import { SandboxDiscord } from './discord/SandboxDiscord.js';
import { SandboxLavalink } from './lavalink/SandboxLavalink.js';

/** The token the sandbox issues to the demo bot; it must never show up in anything the demo prints or exports. */
const DemoToken = 'MTA1.demo-sandbox-token.not-a-real-secret';

/**
 * `npm run demo`: the real bot (discord.js, telemetry, health server) against the sandbox Discord, a scripted
 * session of several members, then a summary. Exports to the configured OTLP endpoints (localhost by default), so a
 * collector shows the data; with nothing listening the demo still succeeds. `--keep` leaves everything running.
 */
async function demo(): Promise<void> {
  const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false } } });
  // A short heartbeat interval so /ping has a measured gateway latency within the demo's first second.
  const discord = await SandboxDiscord.start({ token: DemoToken, heartbeatIntervalMs: 250 });
  // Two Lavalink nodes, so the music part can kill one and show the failover.
  const nodes = await Promise.all(
    ['alpha', 'beta'].map((name) =>
      SandboxLavalink.start({ name, statsIntervalMs: 1_000, playerUpdateIntervalMs: 1_000 }),
    ),
  );
  // The embedded database lives in a fresh directory of its own, removed at the end: a demo leaves nothing behind
  // and never shares PGlite's one-process data directory. With DATABASE_URL set, that server is used instead.
  const dataDir = await mkdtemp(join(tmpdir(), 'metronome-demo-'));
  // On every way out (the demo ends with process.exit, success or not).
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    checks: configChecks,
    overrides: {
      database: { data_dir: dataDir },
      discord: { token: new Secret(DemoToken), api_url: discord.restUrl },
      lavalink: {
        nodes: nodes.map((node) => ({ name: node.name, url: node.address, secure: false, region: null })),
        password: new Secret(nodes[0]?.password ?? ''),
        // A dead node is given up on quickly in the demo; production waits longer before moving players.
        reconnect_tries: 1,
        reconnect_interval_ms: 500,
      },
      // A small budget so the scripted spammer meets the throttle.
      commands: { throttle_per_minute: 10 },
      // Short export timeouts: with no collector listening the demo should not wait out the exporters' retries.
      telemetry: {
        environment: 'demo',
        metric_export_interval_ms: 2_000,
        metric_export_timeout_ms: 1_500,
        span_batch: { export_timeout_ms: 3_000 },
        log_batch: { export_timeout_ms: 3_000 },
      },
      // Log records go out over OTLP only, so the terminal shows the summary rather than a stream of JSON lines.
      logging: { level: 'info', otlp_only: true },
      // The configured port when the demo stays up (--keep); otherwise any free port, so a busy 8080 cannot fail it.
      ...(values.keep ? {} : { health: { port: 0 } }),
    },
  });
  const version = packageVersion();
  const telemetry = startTelemetry(telemetryOptionsFrom(config, version));
  const { App } = await import('../app.js');
  const app: App = new App({ config, telemetry, redactor: redactorFor(config), version });
  const startedAt = performance.now();
  await app.start();
  const startupMs = performance.now() - startedAt;
  await registerCommands(commands, { token: DemoToken, applicationId: discord.applicationId, apiUrl: discord.restUrl });

  const result = await runScript(discord);
  const musicResult = await runMusicScript(discord, app, nodes);
  const healthUrl = `http://127.0.0.1:${app.health.port}`;
  const health = await Promise.all(
    ['/livez', '/readyz?verbose', '/healthz'].map(async (path) => {
      const response = await fetch(`${healthUrl}${path}`);
      return { path, status: response.status, body: await response.text() };
    }),
  );
  await telemetry.forceFlush();
  printSummary(
    {
      runs: [...result.runs, ...musicResult.runs],
      failover: musicResult.failover,
      startupMs,
      health,
      exporters: telemetry.exports.state(),
      config,
      healthUrl,
    },
    [DemoToken, nodes[0]?.password ?? DemoToken],
  );

  if (values.keep) {
    process.stdout.write(
      `\nStill running (--keep). Health: ${healthUrl}/healthz · Discord REST: ${discord.restUrl}. Ctrl-C to stop.\n`,
    );
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  await app.shutdown('demo finished');
  await Promise.all(nodes.map((node) => node.close()));
  await discord.close();
}

/** Several members, several commands, one unknown command, one that Discord fails, one member over the throttle. */
async function runScript(
  discord: SandboxDiscord,
): Promise<Omit<DemoResult, 'startupMs' | 'health' | 'exporters' | 'config' | 'healthUrl'>> {
  const guild = discord.guilds[0];
  if (!guild) throw new Error('the sandbox has no guild');
  const [alice, bob, carol, dave] = guild.memberIds;
  const at = (userId: string | undefined, command: string, stale: boolean) => ({
    guildId: guild.id,
    channelId: guild.textChannelId,
    userId: userId ?? guild.memberIds[0] ?? '',
    command,
    stale,
  });
  const runs: DemoResult['runs'] = [];
  const run = async (label: string, userId: string | undefined, command: string, expect: RegExp, stale = false) => {
    const started = performance.now();
    const interaction = discord.runCommand(at(userId, command, stale));
    const reply = await interaction.waitFor((m) => expect.test(m.content ?? '') || (m.embeds?.length ?? 0) > 0, {
      timeoutMs: 20_000,
    });
    runs.push({
      label,
      command,
      ms: performance.now() - started,
      reply: reply.content ?? `[${reply.embeds?.length} embed]`,
    });
  };

  for (const member of [alice, bob, carol]) await run('ping', member, 'ping', /Pong/);
  await run('about', bob, 'about', /Metronome/);
  // A client with an outdated command list still offers a command since removed.
  await run('unknown command', carol, 'dance', /do not know/, true);
  // Discord fails the reply edit on every retry: the member gets an apology with a trace reference.
  discord.failNext({ method: 'PATCH', routeIncludes: 'original', status: 500, count: 4 });
  await run('Discord 5xx', alice, 'ping', /reference/);
  // One member spams: past the budget of 10 a minute the throttle answers instead.
  for (let i = 0; i < 12; i++) await run('spam', dave, 'ping', /Pong|too quickly/);
  for (let i = 0; i < 10; i++) await run('ping', [alice, bob, carol][i % 3], 'ping', /Pong/);
  return { runs };
}

demo().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      error instanceof ConfigError
        ? `${error.message}\n`
        : `demo failed: ${error instanceof Error ? error.stack : error}\n`,
    );
    process.exit(1);
  },
);
