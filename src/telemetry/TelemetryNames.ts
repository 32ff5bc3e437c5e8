/**
 * The telemetry vocabulary of Metronome: instrument names, span names and attribute keys.
 *
 * These names are a contract: dashboards, alerts and the collector's pipelines rely on them (see docs/telemetry.md).
 * Change one only together with everything that reads it.
 */

/** Instrument names, exactly as in the telemetry contract. */
export const InstrumentNames = {
  CommandDuration: 'metronome.command.duration',
  DiscordRestRequests: 'metronome.discord.rest.requests',
  DiscordRestDuration: 'metronome.discord.rest.duration',
  DiscordRestRateLimits: 'metronome.discord.rest.rate_limits',
  DiscordGatewayEvents: 'metronome.discord.gateway.events',
  DiscordShardLatency: 'metronome.discord.shard.latency',
  DiscordShardStatus: 'metronome.discord.shard.status',
  DiscordShardTransitions: 'metronome.discord.shard.transitions',
  DiscordGuilds: 'metronome.discord.guilds',
  VoiceConnectionAttempts: 'metronome.voice.connection.attempts',
  VoiceConnections: 'metronome.voice.connections',
  PlayerCount: 'metronome.player.count',
  QueueTracks: 'metronome.queue.tracks',
  TrackEvents: 'metronome.track.events',
  TrackLoadDuration: 'metronome.track.load.duration',
  PlaybackTime: 'metronome.playback.time',
  LavalinkNodeUp: 'metronome.lavalink.node.up',
  LavalinkNodePlayers: 'metronome.lavalink.node.players',
  LavalinkNodeCpuLoad: 'metronome.lavalink.node.cpu.load',
  LavalinkNodeMemoryUsed: 'metronome.lavalink.node.memory.used',
  LavalinkNodeFrames: 'metronome.lavalink.node.frames',
  LavalinkNodeFailovers: 'metronome.lavalink.node.failovers',
  DbQueryDuration: 'metronome.db.query.duration',
  DbErrors: 'metronome.db.errors',
  DbHistoryDropped: 'metronome.db.history.dropped',
  JobDuration: 'metronome.job.duration',
  JobActive: 'metronome.job.active',
  JobLastSuccessAge: 'metronome.job.last_success.age',
  RetryAttempts: 'metronome.retry.attempts',
  AutomationActions: 'metronome.automation.actions',
  UsersActive: 'metronome.users.active',
  TelemetryDropped: 'metronome.telemetry.dropped',
} as const;

/** Attribute keys. Semantic-convention keys where one exists; custom keys are namespaced. */
export const AttributeNames = {
  // metric attributes (low cardinality only: never an id)
  Command: 'command',
  Outcome: 'outcome',
  Route: 'route',
  Method: 'method',
  StatusCode: 'status_code',
  Scope: 'scope',
  ShardId: 'shard.id',
  Type: 'type',
  Status: 'status',
  Event: 'event',
  Job: 'job',
  Operation: 'operation',
  Signal: 'signal',
  Action: 'action',
  Window: 'window',
  LavalinkNode: 'lavalink.node',
  Source: 'source',
  Result: 'result',
  Reason: 'reason',
  State: 'state',
  Kind: 'kind',
  From: 'from',
  To: 'to',
  // span attributes (ids allowed here, never on metrics)
  DiscordCommandName: 'discord.command.name',
  DiscordInteractionId: 'discord.interaction.id',
  DiscordGuildId: 'discord.guild.id',
  DiscordChannelId: 'discord.channel.id',
  DiscordUserId: 'discord.user.id',
  DiscordShardId: 'discord.shard.id',
  /** The component handler's kind (`np`, `queue`, `search`, `unknown`); never the full custom id. */
  DiscordComponentKind: 'discord.component.kind',
  MetronomeOutcome: 'metronome.outcome',
  MetronomeJob: 'metronome.job.name',
  RetryCount: 'retry.count',
  RetryAttempt: 'retry.attempt',
  RetryDelay: 'retry.delay_ms',
  ErrorType: 'error.type',
  MetronomeTrackSource: 'metronome.track.source',
  MetronomeTrackLength: 'metronome.track.length_ms',
  MetronomeTrackEndReason: 'metronome.track.end_reason',
  MetronomeFailoverFrom: 'metronome.failover.from',
  MetronomeFailoverTo: 'metronome.failover.to',
  MetronomeFailoverTrigger: 'metronome.failover.trigger',
  MetronomeFailoverPosition: 'metronome.failover.position_ms',
  // database (semantic conventions, stable since semconv 1.33); operation and collection go on metrics too
  DbSystemName: 'db.system.name',
  DbOperationName: 'db.operation.name',
  DbCollectionName: 'db.collection.name',
  /** The SQLSTATE of a failed query; on spans only. */
  DbResponseStatusCode: 'db.response.status_code',
  DbOperationBatchSize: 'db.operation.batch.size',
  MetronomeDbMigrationsApplied: 'metronome.db.migrations.applied',
  /** Why a queue snapshot could not be restored: invalid, guild_gone, channel_gone, play_failed. */
  MetronomeRestoreFailure: 'metronome.restore.failure',
  // HTTP client spans (instrumentation-undici's keys, rewritten to hide tokens)
  UrlFull: 'url.full',
  UrlPath: 'url.path',
  // resource attributes
  DiscordShardIds: 'discord.shard.ids',
} as const;

/** Span names. They never contain ids or user text. */
export const SpanNames = {
  /** `command play`: a registered command name or `unknown`. */
  command: (name: string) => `command ${name}`,
  /** `autocomplete play`: a registered command name or `unknown`. */
  autocomplete: (command: string) => `autocomplete ${command}`,
  /** `component np`: the custom id's prefix of a registered component handler, or `unknown`. */
  component: (kind: string) => `component ${kind}`,
  job: (name: string) => `job ${name}`,
  /** `db GuildSettings.get`: the repository (its class name without `Repository`) and the method. */
  db: (repository: string, method: string) => `db ${repository}.${method}`,
  DbMigrate: 'db migrate',
  TrackPlay: 'track play',
  /** One player moved off a failed Lavalink node. */
  LavalinkFailover: 'lavalink failover',
  PlayerRestore: 'player restore',
} as const;

/** Span event names. */
export const EventNames = {
  Retry: 'retry',
  /** On a `lavalink failover` span: one node refused the player; the next is tried. */
  FailoverMoveFailed: 'move failed',
} as const;

/**
 * Values of the `command` attribute of `metronome.command.duration` besides slash-command names. Bounded by the
 * component registry, like command names.
 */
export const CommandMetricNames = {
  /** `component:np`, `component:queue`, `component:search` or `component:unknown`. */
  component: (kind: string) => `component:${kind}`,
} as const;

/** Command outcomes (the `outcome` attribute of `metronome.command.duration`). */
export type CommandOutcome = 'success' | 'user_error' | 'error' | 'throttled';

/** Instrumentation scope name of Metronome's own meter, tracer and logger. */
export const InstrumentationScope = 'metronome';
