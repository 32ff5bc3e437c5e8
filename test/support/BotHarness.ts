import { Writable } from 'node:stream';
import type { App } from '../../src/app.js';
import { packageVersion, redactorFor, telemetryOptionsFrom } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { Secret } from '../../src/config/Secret.js';
import type { Config, ConfigOverrides } from '../../src/config/schema.js';
import { commands } from '../../src/discord/commands/index.js';
import { registerCommands } from '../../src/discord/registerCommands.js';
import { SandboxDiscord } from '../../src/sandbox/discord/SandboxDiscord.js';
import type { GuildSpec } from '../../src/sandbox/discord/state/GuildSpec.js';
import { SandboxLavalink, type SandboxLavalinkOptions } from '../../src/sandbox/lavalink/index.js';
import { startTelemetry, type Telemetry } from '../../src/telemetry/TelemetrySdk.js';
import { DatabaseTarget } from './DatabaseTarget.js';
import { OtlpReceiver } from './otlp/OtlpReceiver.js';

/** The token the sandbox accepts; long enough that the redactor treats it as a secret. */
export const SandboxToken = 'MTA1.sandbox-bot-token.e2e-secret-value';

/** The password of the harness's sandbox Lavalink nodes; long enough that the redactor treats it as a secret. */
export const SandboxLavalinkPassword = 'lavalink-e2e-secret-password';

export interface BotHarnessOptions {
  readonly overrides?: ConfigOverrides;
  /** Environment for the config loader (default: empty, so the developer's variables never leak in). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * How many sandbox Lavalink nodes to start (default 0: music is off). They are named `node-1`, `node-2`, ... and
   * configured as `lavalink.nodes` with `lavalink.password` (a Secret) and quick reconnects; `start` resolves once
   * every node is connected and has sent its first stats.
   */
  readonly lavalinkNodes?: number;
  /** Options of every sandbox Lavalink node (name and password are the harness's). */
  readonly lavalink?: Omit<SandboxLavalinkOptions, 'name' | 'password'>;
  /**
   * The bot's database. Default: a fresh one of its own (a new database on `DATABASE_URL`'s server, or a PGlite
   * directory under the OS temp dir), removed by `stop`. A given target is left for the caller to close.
   */
  readonly database?: DatabaseTarget;
  /** The sandbox's guilds (default: the one of `defaultGuildSpec()`). */
  readonly guilds?: readonly GuildSpec[];
}

/**
 * The whole bot in this process against the sandbox Discord, exporting with the real OTLP exporters to a test
 * receiver, with short export intervals. One per test file: the SDK registers process-wide globals once.
 */
export class BotHarness {
  private constructor(
    /** Every local log line the bot wrote (JSON). */
    readonly lines: string[],
    readonly discord: SandboxDiscord,
    readonly receiver: OtlpReceiver,
    readonly config: Config,
    readonly telemetry: Telemetry,
    readonly app: App,
    /** The sandbox Lavalink nodes, in config order (empty unless `lavalinkNodes` was given). */
    readonly lavalink: readonly SandboxLavalink[],
    readonly database: DatabaseTarget,
    private readonly ownsDatabase: boolean,
  ) {}

  static async start(options: BotHarnessOptions = {}): Promise<BotHarness> {
    const receiver = await OtlpReceiver.start();
    const discord = await SandboxDiscord.start({
      token: SandboxToken,
      heartbeatIntervalMs: 1_000,
      guilds: options.guilds,
    });
    const lavalink = await Promise.all(
      Array.from({ length: options.lavalinkNodes ?? 0 }, (_, index) =>
        SandboxLavalink.start({ ...options.lavalink, name: `node-${index + 1}`, password: SandboxLavalinkPassword }),
      ),
    );
    const lavalinkOverrides =
      lavalink.length === 0
        ? {}
        : {
            lavalink: {
              nodes: lavalink.map((node) => ({ name: node.name, url: node.address, secure: false, region: null })),
              password: new Secret(SandboxLavalinkPassword),
              // A killed node fails over within a few hundred milliseconds rather than 5 s.
              reconnect_tries: 2,
              reconnect_interval_ms: 250,
              ...options.overrides?.lavalink,
            },
          };
    const configWith = (database: DatabaseTarget | undefined) =>
      loadConfig({
        env: options.env ?? {},
        localPath: null,
        overrides: {
          ...options.overrides,
          ...lavalinkOverrides,
          database: { ...database?.overrides().database, ...options.overrides?.database },
          discord: { token: new Secret(SandboxToken), api_url: discord.restUrl, ...options.overrides?.discord },
          telemetry: {
            metrics_endpoint: receiver.grpcEndpoint,
            logs_endpoint: receiver.grpcEndpoint,
            traces_endpoint: receiver.tracesUrl,
            metric_export_interval_ms: 500,
            metric_export_timeout_ms: 400,
            span_batch: { schedule_delay_ms: 50 },
            log_batch: { schedule_delay_ms: 50 },
            ...options.overrides?.telemetry,
          },
          health: { host: '127.0.0.1', port: 0, heartbeat_interval_ms: 200, ...options.overrides?.health },
          shutdown: { grace_ms: 5_000, ...options.overrides?.shutdown },
        },
      });
    const version = packageVersion();
    // The SDK starts before anything loads pg (creating a test database does): instrumentation-pg patches only
    // modules loaded after it, exactly as in production, where pg first loads with the app.
    const telemetry = startTelemetry(telemetryOptionsFrom(configWith(undefined), version));
    const database = options.database ?? (await DatabaseTarget.create());
    const config = configWith(database);
    const { App } = await import('../../src/app.js');
    const lines: string[] = [];
    const app = new App({
      config,
      telemetry,
      redactor: redactorFor(config),
      version,
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      }),
    });
    await app.start();
    await registerCommands(commands, {
      token: SandboxToken,
      applicationId: discord.applicationId,
      apiUrl: discord.restUrl,
    });
    const harness = new BotHarness(
      lines,
      discord,
      receiver,
      config,
      telemetry,
      app,
      lavalink,
      database,
      options.database === undefined,
    );
    try {
      await harness.lavalinkConnected(...lavalink.map((node) => node.name));
    } catch (error) {
      await harness.stop();
      throw error;
    }
    return harness;
  }

  /** Status of each configured Lavalink node, as `/healthz` shows it. */
  lavalinkStatuses(): Record<string, string> {
    const section = this.app.lavalink.details().lavalink as { nodes: { name: string; status: string }[] };
    return Object.fromEntries(section.nodes.map((node) => [node.name, node.status]));
  }

  /** Waits until the named Lavalink nodes are connected and have sent stats. */
  async lavalinkConnected(...names: string[]): Promise<void> {
    const deadline = Date.now() + 10_000;
    const connected = () =>
      names.every(
        (name) =>
          this.lavalinkStatuses()[name] === 'connected' &&
          (this.app.lavalink.shoukaku?.nodes.get(name)?.stats ?? null) !== null,
      );
    while (!connected()) {
      if (Date.now() > deadline) throw new Error(`Lavalink nodes ${names.join(', ')} not connected within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The health server's base URL. */
  get healthUrl(): string {
    return `http://127.0.0.1:${this.app.health.port}`;
  }

  /** The first guild, text channel and member of the sandbox's default world. */
  get world() {
    const guild = this.discord.guilds[0];
    if (!guild) throw new Error('the sandbox has no guild');
    return guild;
  }

  async stop(): Promise<void> {
    await this.app.shutdown('test');
    await this.discord.close();
    await Promise.all(this.lavalink.map((node) => node.close()));
    await this.receiver.close();
    if (this.ownsDatabase) await this.database.close();
  }
}
