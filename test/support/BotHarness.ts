import { Writable } from 'node:stream';
import type { App } from '../../src/app.js';
import { packageVersion, redactorFor, telemetryOptionsFrom } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { Secret } from '../../src/config/Secret.js';
import type { Config, ConfigOverrides } from '../../src/config/schema.js';
import { commands } from '../../src/discord/commands/index.js';
import { registerCommands } from '../../src/discord/registerCommands.js';
import { SandboxDiscord } from '../../src/sandbox/discord/SandboxDiscord.js';
import { startTelemetry, type Telemetry } from '../../src/telemetry/TelemetrySdk.js';
import { OtlpReceiver } from './otlp/OtlpReceiver.js';

/** The token the sandbox accepts; long enough that the redactor treats it as a secret. */
export const SandboxToken = 'MTA1.sandbox-bot-token.e2e-secret-value';

export interface BotHarnessOptions {
  readonly overrides?: ConfigOverrides;
  /** Environment for the config loader (default: empty, so the developer's variables never leak in). */
  readonly env?: NodeJS.ProcessEnv;
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
  ) {}

  static async start(options: BotHarnessOptions = {}): Promise<BotHarness> {
    const receiver = await OtlpReceiver.start();
    const discord = await SandboxDiscord.start({ token: SandboxToken, heartbeatIntervalMs: 1_000 });
    const config = loadConfig({
      env: options.env ?? {},
      localPath: null,
      overrides: {
        ...options.overrides,
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
    const telemetry = startTelemetry(telemetryOptionsFrom(config, version));
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
    return new BotHarness(lines, discord, receiver, config, telemetry, app);
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
    await this.receiver.close();
  }
}
