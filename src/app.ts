import type { DestinationStream } from 'pino';
import { ConfigError } from './config/ConfigError.js';
import type { Config } from './config/schema.js';
import { CommandThrottle } from './discord/CommandThrottle.js';
import type { Command } from './discord/commands/Command.js';
import { commands as defaultCommands } from './discord/commands/index.js';
import { DiscordBot } from './discord/DiscordBot.js';
import { InteractionPipeline } from './discord/InteractionPipeline.js';
import { EventLoopMonitor } from './health/EventLoopMonitor.js';
import { HealthServer } from './health/HealthServer.js';
import { heartbeatCheck } from './health/HeartbeatWatch.js';
import { HeartbeatJob, HeartbeatJobName } from './jobs/HeartbeatJob.js';
import { Scheduler } from './jobs/Scheduler.js';
import { JobHeartbeats } from './telemetry/JobHeartbeats.js';
import { createLogging, type Logger, type Logging } from './telemetry/logging/createLogger.js';
import type { Redactor } from './telemetry/Redactor.js';
import type { Telemetry } from './telemetry/TelemetrySdk.js';

/** What the composition root is given: parsed config and the started telemetry. */
export interface AppOptions {
  readonly config: Config;
  readonly telemetry: Telemetry;
  readonly redactor: Redactor;
  readonly version: string;
  /** Local log destination (stdout by default). */
  readonly logDestination?: DestinationStream;
  readonly commands?: readonly Command[];
}

/**
 * The running bot: every long-lived part, built here and passed down through constructors (the one composition
 * root). `start()` brings it up in dependency order; `shutdown()` takes it down in reverse, never throwing.
 */
export class App {
  readonly logging: Logging;
  readonly logger: Logger;
  readonly health: HealthServer;
  readonly bot: DiscordBot;
  readonly pipeline: InteractionPipeline;
  readonly heartbeats: JobHeartbeats;
  readonly #scheduler: Scheduler;
  readonly #eventLoop: EventLoopMonitor;
  #shutdown: Promise<void> | undefined;

  constructor(private readonly options: AppOptions) {
    const { config, telemetry, redactor } = options;
    this.logging = createLogging(
      {
        level: config.logging.level,
        levels: config.logging.levels,
        otlpOnly: config.logging.otlp_only,
        file: config.logging.file.path
          ? {
              path: config.logging.file.path,
              maxSize: config.logging.file.max_size,
              maxFiles: config.logging.file.max_files,
            }
          : null,
        destination: options.logDestination,
      },
      redactor,
    );
    this.logger = this.logging.root;
    const telemetryLogger = this.logging.child('telemetry');
    telemetry.exports.onWarning((signal, message, dropped) =>
      telemetryLogger.warn(
        { signal, dropped_total: dropped, reason: message },
        `telemetry export failing; ${signal} are being dropped (next warning in ${config.telemetry.failure_log_interval_ms / 1000}s at most)`,
      ),
    );

    this.heartbeats = new JobHeartbeats(telemetry.instruments);
    this.#scheduler = new Scheduler(this.logging.child('jobs'));
    this.#eventLoop = new EventLoopMonitor();
    this.pipeline = new InteractionPipeline({
      commands: options.commands ?? defaultCommands,
      context: { logger: this.logging.child('commands'), version: options.version, startedAt: Date.now() },
      instruments: telemetry.instruments,
      logger: this.logging.child('commands'),
      throttle: new CommandThrottle(config.commands.throttle_per_minute),
    });
    const token = config.discord.token?.reveal();
    if (!token) {
      throw new ConfigError([
        {
          key: 'discord.token',
          source: 'DISCORD_TOKEN',
          problem: 'is required: set DISCORD_TOKEN or DISCORD_TOKEN_FILE',
        },
      ]);
    }
    this.bot = new DiscordBot(
      {
        token,
        apiUrl: config.discord.api_url ?? undefined,
        restTimeoutMs: config.discord.rest_timeout_ms,
        shards: config.discord.shards,
        shardCount: config.discord.shard_count,
      },
      this.pipeline,
      telemetry.instruments,
      this.logging.child('discord'),
    );
    this.health = new HealthServer({
      host: config.health.host,
      port: config.health.port,
      liveness: [
        this.#eventLoop.asCheck(config.health.event_loop_stall_ms),
        heartbeatCheck('heartbeat', this.heartbeats.source(HeartbeatJobName), config.health.heartbeat_stale_ms),
      ],
      readiness: [this.bot.readinessCheck()],
      details: () => ({
        version: options.version,
        ...this.bot.details(),
        commands_in_flight: this.pipeline.inFlight,
        jobs: this.heartbeats.snapshot(),
        telemetry: { enabled: telemetry.enabled, exporters: telemetry.exports.state() },
      }),
      redact: (text) => redactor.scrub(text),
      onError: (error) => this.logging.child('health').warn({ err: error }, 'health server error'),
    });
  }

  /** Brings the bot up: health server first (so probes answer during start-up), then jobs, then Discord. */
  async start(): Promise<void> {
    this.#eventLoop.start();
    const { port } = await this.health.listen();
    this.logger.info({ port }, 'health server listening');
    this.#scheduler.schedule(new HeartbeatJob(this.heartbeats, this.options.config.health.heartbeat_interval_ms));
    await this.bot.start();
  }

  /**
   * Graceful shutdown: readiness goes 503 at once, in-flight commands get `shutdown.grace_ms` to finish, then jobs,
   * Discord and the health server stop and telemetry is flushed. Idempotent.
   */
  shutdown(reason = 'shutdown'): Promise<void> {
    this.#shutdown ??= this.#stop(reason);
    return this.#shutdown;
  }

  async #stop(reason: string): Promise<void> {
    const started = performance.now();
    this.health.beginShutdown();
    this.logger.info({ reason, in_flight: this.pipeline.inFlight }, 'shutting down');
    const drained = await this.pipeline.drain(this.options.config.shutdown.grace_ms);
    if (!drained) this.logger.warn({ in_flight: this.pipeline.inFlight }, 'grace period over; abandoning commands');
    await this.#scheduler.stop();
    await this.bot.stop().catch((error: unknown) => this.logger.warn({ err: error }, 'discord client stop failed'));
    await this.health.close();
    this.#eventLoop.stop();
    this.logger.info({ duration_ms: Math.round(performance.now() - started) }, 'stopped');
    await this.options.telemetry.shutdown();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown('dispose');
  }
}
