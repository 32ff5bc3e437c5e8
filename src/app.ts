import type { DestinationStream } from 'pino';
import { ConfigError } from './config/ConfigError.js';
import type { Config } from './config/schema.js';
import { CommandThrottle } from './discord/CommandThrottle.js';
import type { Command } from './discord/commands/Command.js';
import { commands as defaultCommands } from './discord/commands/index.js';
import { components } from './discord/components/index.js';
import { SearchSessions } from './discord/components/SearchSessions.js';
import { DiscordBot } from './discord/DiscordBot.js';
import { InteractionPipeline } from './discord/InteractionPipeline.js';
import { MusicAnnouncer } from './discord/MusicAnnouncer.js';
import { type GuildSettingsProvider, NoGuildSettings } from './discord/permissions/GuildSettingsProvider.js';
import { MusicAccess } from './discord/permissions/MusicAccess.js';
import { VoiceWatcher } from './discord/VoiceWatcher.js';
import { EventLoopMonitor } from './health/EventLoopMonitor.js';
import { HealthServer } from './health/HealthServer.js';
import { heartbeatCheck } from './health/HeartbeatWatch.js';
import { HeartbeatJob, HeartbeatJobName } from './jobs/HeartbeatJob.js';
import { Scheduler } from './jobs/Scheduler.js';
import { gatewaySettingsFromConfig, ShoukakuGateway } from './lavalink/index.js';
import { HostAllowList } from './music/HostAllowList.js';
import { resolveMusicLimits } from './music/MusicLimits.js';
import { MusicService } from './music/MusicService.js';
import { JobHeartbeats } from './telemetry/JobHeartbeats.js';
import { LavalinkInstruments } from './telemetry/LavalinkInstruments.js';
import { createLogging, type Logger, type Logging } from './telemetry/logging/createLogger.js';
import { MusicInstruments } from './telemetry/MusicInstruments.js';
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
  /** Per-guild settings (DJ role); none until the persistence issue provides a store. */
  readonly guildSettings?: GuildSettingsProvider;
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
  readonly lavalink: ShoukakuGateway;
  readonly music: MusicService;
  readonly announcer: MusicAnnouncer;
  readonly #voiceWatcher: VoiceWatcher;
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
      telemetry.instruments,
      this.logging.child('discord'),
    );
    // Built before login: shoukaku listens to the client's voice events from the start.
    this.lavalink = new ShoukakuGateway({
      client: this.bot.client,
      ...gatewaySettingsFromConfig(config.lavalink),
      instruments: new LavalinkInstruments(telemetry.instruments),
      logger: this.logging.child('lavalink'),
      userAgent: `Metronome/${options.version}`,
    });
    const musicLogger = this.logging.child('music');
    this.music = new MusicService({
      gateway: this.lavalink.enabled ? this.lavalink : null,
      limits: resolveMusicLimits({
        maxQueueLength: config.music.max_queue_length,
        maxTrackLengthMs: config.music.max_track_length_ms,
        maxPlaylistSize: config.music.max_playlist_size,
        maxMemberSharePercent: config.music.max_member_share_percent,
      }),
      allowList: parseAllowList(config.music.query_allowlist),
      searchPrefix: config.lavalink.search_prefix,
      maxQueryLength: config.music.max_query_length,
      idleTimeoutMs: config.music.idle_timeout_ms,
      aloneTimeoutMs: config.music.alone_timeout_ms,
      defaultVolume: config.music.default_volume,
      instruments: new MusicInstruments(telemetry.instruments),
      logger: musicLogger,
    });
    this.lavalink.on('playerLost', ({ guildId }) => void this.music.nodeLost(guildId));
    this.pipeline = new InteractionPipeline({
      commands: options.commands ?? defaultCommands,
      components,
      context: {
        logger: this.logging.child('commands'),
        version: options.version,
        startedAt: Date.now(),
        music: this.music,
        access: new MusicAccess(this.music, options.guildSettings ?? new NoGuildSettings()),
        searches: new SearchSessions(),
      },
      instruments: telemetry.instruments,
      logger: this.logging.child('commands'),
      throttle: new CommandThrottle(config.commands.throttle_per_minute),
    });
    this.bot.route(this.pipeline);
    this.announcer = new MusicAnnouncer(this.bot.client, this.music, musicLogger);
    this.#voiceWatcher = new VoiceWatcher(this.bot.client, this.music, musicLogger);
    this.health = new HealthServer({
      host: config.health.host,
      port: config.health.port,
      liveness: [
        this.#eventLoop.asCheck(config.health.event_loop_stall_ms),
        heartbeatCheck('heartbeat', this.heartbeats.source(HeartbeatJobName), config.health.heartbeat_stale_ms),
      ],
      // With no Lavalink node configured the lavalink check passes: music is off, the rest of the bot is ready.
      readiness: [this.bot.readinessCheck(), this.lavalink.readinessCheck()],
      details: () => ({
        version: options.version,
        ...this.bot.details(),
        ...this.lavalink.details(),
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
    this.#voiceWatcher[Symbol.dispose]();
    await this.announcer.settled();
    this.announcer[Symbol.dispose]();
    // Players are left on Lavalink (resume timeout) rather than destroyed: a quick restart finds them still there.
    await this.music.close();
    await this.lavalink.close();
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

/** The `/play` allowlist from config; a malformed entry is a configuration error naming the key. */
function parseAllowList(entries: readonly string[]): HostAllowList {
  try {
    return HostAllowList.parse(entries);
  } catch (error) {
    throw new ConfigError([
      {
        key: 'music.query_allowlist',
        source: 'configuration',
        problem: error instanceof Error ? error.message : 'is not a list of hosts, addresses or CIDRs',
      },
    ]);
  }
}
