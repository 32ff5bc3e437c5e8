import type { DestinationStream } from 'pino';
import { ConfigError } from './config/ConfigError.js';
import type { Config } from './config/schema.js';
import { ActiveUsersJob } from './db/ActiveUsersJob.js';
import { Database } from './db/Database.js';
import { databaseOptionsFrom } from './db/databaseOptionsFrom.js';
import { HistoryWriter } from './db/HistoryWriter.js';
import { QueueSnapshotWriter } from './db/QueueSnapshotWriter.js';
import { GuildSettingsRepository } from './db/repositories/GuildSettingsRepository.js';
import { PlayHistoryRepository } from './db/repositories/PlayHistoryRepository.js';
import { QueueSnapshotRepository } from './db/repositories/QueueSnapshotRepository.js';
import { CommandThrottle } from './discord/CommandThrottle.js';
import type { Command } from './discord/commands/Command.js';
import { commands as defaultCommands } from './discord/commands/index.js';
import { components } from './discord/components/index.js';
import { SearchSessions } from './discord/components/SearchSessions.js';
import { DiscordBot } from './discord/DiscordBot.js';
import { DiscordRestoreTarget } from './discord/DiscordRestoreTarget.js';
import type { GuildSettingsStore } from './discord/GuildDataPort.js';
import { InteractionPipeline } from './discord/InteractionPipeline.js';
import { MusicAnnouncer } from './discord/MusicAnnouncer.js';
import { MusicAccess } from './discord/permissions/MusicAccess.js';
import { StageSpeaker } from './discord/StageSpeaker.js';
import { VoiceWatcher } from './discord/VoiceWatcher.js';
import { EventLoopMonitor } from './health/EventLoopMonitor.js';
import { HealthServer } from './health/HealthServer.js';
import { heartbeatCheck } from './health/HeartbeatWatch.js';
import { HeartbeatJob, HeartbeatJobName } from './jobs/HeartbeatJob.js';
import { Scheduler } from './jobs/Scheduler.js';
import { gatewaySettingsFromConfig, isLavalinkOutage, ShoukakuGateway } from './lavalink/index.js';
import { HostAllowList } from './music/HostAllowList.js';
import { resolveMusicLimits } from './music/MusicLimits.js';
import { MusicService } from './music/MusicService.js';
import { DatabaseGuildSettings } from './persistence/DatabaseGuildSettings.js';
import { NodeOutageRecovery } from './persistence/NodeOutageRecovery.js';
import { PlaybackRecorder } from './persistence/PlaybackRecorder.js';
import { PlayerRestorer } from './persistence/PlayerRestorer.js';
import { DbInstruments } from './telemetry/DbInstruments.js';
import { JobHeartbeats } from './telemetry/JobHeartbeats.js';
import { LavalinkInstruments } from './telemetry/LavalinkInstruments.js';
import { createLogging, type Logger, type Logging } from './telemetry/logging/createLogger.js';
import { MusicInstruments } from './telemetry/MusicInstruments.js';
import type { Redactor } from './telemetry/Redactor.js';
import type { Telemetry } from './telemetry/TelemetrySdk.js';
import { settledWithin } from './util/settledWithin.js';

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

/** How long shutdown waits for the last database writes, and again for the pool to close, before going on. */
const FinalWritesBudgetMs = 5_000;

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
  readonly database: Database;
  readonly guildSettings: GuildSettingsStore;
  readonly snapshotWriter: QueueSnapshotWriter;
  readonly historyWriter: HistoryWriter;
  readonly #activeUsers: ActiveUsersJob;
  readonly #recorder: PlaybackRecorder;
  readonly #restorer: PlayerRestorer;
  readonly #outage: NodeOutageRecovery;
  readonly #voiceWatcher: VoiceWatcher;
  readonly #stageSpeaker: StageSpeaker;
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
    // The database: opened in start(); repositories read its pool at each query, so they can be built now.
    const dbLogger = this.logging.child('database');
    this.database = new Database(databaseOptionsFrom(config.database), dbLogger);
    const dbInstruments = new DbInstruments(telemetry.instruments);
    const settingsRepository = new GuildSettingsRepository(this.database, dbInstruments);
    const historyRepository = new PlayHistoryRepository(this.database, dbInstruments);
    const snapshotRepository = new QueueSnapshotRepository(this.database, dbInstruments);
    this.snapshotWriter = new QueueSnapshotWriter(snapshotRepository, dbLogger, {
      delayMs: config.database.snapshot_delay_ms,
    });
    this.historyWriter = new HistoryWriter(historyRepository, dbInstruments, dbLogger, {
      maxBuffered: config.database.history_buffer_size,
    });
    const guildSettings = new DatabaseGuildSettings(
      settingsRepository,
      { defaultVolume: config.music.default_volume, throttlePerMinute: config.commands.throttle_per_minute },
      dbLogger,
    );
    this.guildSettings = guildSettings;
    this.#activeUsers = new ActiveUsersJob(
      this.heartbeats,
      historyRepository,
      dbInstruments,
      config.database.active_users_interval_ms,
    );
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
        // Templating every route for instruments that record nothing would be work for nothing.
        measureRest: telemetry.enabled,
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
      guildDefaults: (guildId) => guildSettings.sessionDefaults(guildId),
    });
    this.lavalink.on('playerLost', (event) => {
      // Held first: the service's `disconnected` must find the guild held, so that its snapshot is kept.
      this.#outage.playerLost(event);
      void this.music.nodeLost(event.guildId);
    });
    this.pipeline = new InteractionPipeline({
      commands: options.commands ?? defaultCommands,
      components,
      context: {
        logger: this.logging.child('commands'),
        version: options.version,
        startedAt: Date.now(),
        music: this.music,
        // The DJ role is read from the database at each control command; while it is unreachable, the last one read.
        access: new MusicAccess(this.music, guildSettings),
        searches: new SearchSessions(),
        settings: guildSettings,
        history: historyRepository,
      },
      instruments: telemetry.instruments,
      logger: this.logging.child('commands'),
      throttle: new CommandThrottle(config.commands.throttle_per_minute, Date.now, (guildId) =>
        guildSettings.throttlePerMinute(guildId),
      ),
    });
    this.bot.route(this.pipeline);
    // The outage recovery is built below; the announcer asks it only when a player is lost, long after.
    this.announcer = new MusicAnnouncer(this.bot.client, this.music, musicLogger, (guildId) =>
      this.#outage.holds(guildId),
    );
    this.#voiceWatcher = new VoiceWatcher(this.bot.client, this.music, musicLogger);
    this.#stageSpeaker = new StageSpeaker(this.bot.client, this.music, musicLogger);
    this.#restorer = new PlayerRestorer({
      repository: snapshotRepository,
      writer: this.snapshotWriter,
      music: this.music,
      discord: new DiscordRestoreTarget(this.bot.client, musicLogger),
      instruments: telemetry.instruments,
      logger: musicLogger,
    });
    this.#outage = new NodeOutageRecovery({
      music: this.music,
      restorer: this.#restorer,
      isOutage: isLavalinkOutage,
      usable: () => this.lavalink.usable,
      logger: musicLogger,
    });
    this.#recorder = new PlaybackRecorder(this.music, this.snapshotWriter, this.historyWriter, {
      keepsSnapshot: (guildId) => this.#outage.holds(guildId),
    });
    this.lavalink.on('usable', () => this.#outage.nodeUsable());
    this.health = new HealthServer({
      host: config.health.host,
      port: config.health.port,
      liveness: [
        this.#eventLoop.asCheck(config.health.event_loop_stall_ms),
        heartbeatCheck('heartbeat', this.heartbeats.source(HeartbeatJobName), config.health.heartbeat_stale_ms),
      ],
      // With no Lavalink node configured the lavalink check passes: music is off, the rest of the bot is ready.
      readiness: [this.bot.readinessCheck(), this.lavalink.readinessCheck(), this.database.readinessCheck()],
      details: () => ({
        version: options.version,
        ...this.bot.details(),
        ...this.lavalink.details(),
        database: {
          ...this.database.details(),
          snapshots: this.snapshotWriter.details(),
          history: this.historyWriter.details(),
        },
        commands_in_flight: this.pipeline.inFlight,
        jobs: this.heartbeats.snapshot(),
        telemetry: { enabled: telemetry.enabled, exporters: telemetry.exports.state() },
      }),
      redact: (text) => redactor.scrub(text),
      onError: (error) => this.logging.child('health').warn({ err: error }, 'health server error'),
    });
  }

  /**
   * Brings the bot up: health server first (so probes answer during start-up), then jobs, the database (migrated
   * before anything reads it), then Discord. Players of the last run are restored in the background once a Lavalink
   * node is usable (see `NodeOutageRecovery`).
   */
  async start(): Promise<void> {
    const { config } = this.options;
    const { port } = await this.health.listen();
    this.logger.info({ port }, 'health server listening');
    this.#scheduler.schedule(new HeartbeatJob(this.heartbeats, config.health.heartbeat_interval_ms));
    await this.database.start();
    if (config.database.migrate_on_start) await this.database.migrate();
    // Watched from here on: the embedded engine's start blocks the event loop for a few seconds (PGlite compiles and
    // starts on the main thread), which is start-up, not a hang, and must not fail `/livez` for the window after.
    this.#eventLoop.start();
    this.#scheduler.schedule(this.#activeUsers);
    await this.bot.start();
    // The last run's players: now if a node is usable, else when the first one is (the gateway's `usable`).
    if (this.lavalink.usable) void this.#outage.restoreStored();
    else if (this.lavalink.enabled) this.#outage.waitForNode();
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
    // A restore in progress finishes the guilds it started (they are saved with the others); the rest wait, as do
    // players waiting for a node: their snapshots stay stored, and the next start restores them.
    await this.#outage[Symbol.asyncDispose]();
    this.#voiceWatcher[Symbol.dispose]();
    this.#stageSpeaker[Symbol.dispose]();
    // Every guild's state as of now (its position included), then the last writes: the next start restores them.
    const saved = this.#recorder.saveAll();
    this.#recorder[Symbol.dispose]();
    // Both writers' last attempt at once, and bounded: a database that stopped answering (each call retried on
    // connection timeouts) must not eat the deadline that the Discord logout and the telemetry flush still need.
    const written = await settledWithin(
      Promise.all([this.snapshotWriter.close(), this.historyWriter.close()]),
      FinalWritesBudgetMs,
    );
    if (written) this.logger.info({ snapshots: saved }, 'queue snapshots saved');
    else {
      this.logger.warn(
        { snapshots: saved, history_pending: this.historyWriter.pending, budget_ms: FinalWritesBudgetMs },
        'database writes not finished in time; shutting down without them',
      );
    }
    await this.announcer.settled();
    this.announcer[Symbol.dispose]();
    // Players are left on Lavalink (resume timeout) rather than destroyed: a quick restart finds them still there.
    await this.music.close();
    await this.lavalink.close();
    await this.#scheduler.stop();
    this.#activeUsers.dispose();
    await this.bot.stop().catch((error: unknown) => this.logger.warn({ err: error }, 'discord client stop failed'));
    const closed = await settledWithin(
      this.database.close().catch((error: unknown) => this.logger.warn({ err: error }, 'database close failed')),
      FinalWritesBudgetMs,
    );
    if (!closed) this.logger.warn({ budget_ms: FinalWritesBudgetMs }, 'database connections not closed in time');
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
