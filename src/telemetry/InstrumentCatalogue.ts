import { InstrumentNames } from './TelemetryNames.js';

/** How an instrument aggregates; decides its Prometheus name (`_total` for counters, `_bucket` for histograms). */
export type InstrumentKind = 'counter' | 'updowncounter' | 'histogram' | 'observable_gauge' | 'observable_counter';

/** One row of the telemetry contract. */
export interface InstrumentSpec {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
  /** Attribute keys the instrument may carry. Never an id. */
  readonly attributes: readonly string[];
}

const N = InstrumentNames;

/**
 * Every instrument of the telemetry contract (DESIGN.md), as data. docs/telemetry.md, the dashboards and the alert
 * rules are checked against this list; `Instruments` registers them with the SDK.
 */
export const InstrumentCatalogue = [
  spec(N.CommandDuration, 'histogram', 's', 'Time from interaction received to reply sent', ['command', 'outcome']),
  spec(N.DiscordRestRequests, 'counter', '{request}', 'Discord REST requests by templated route', [
    'route',
    'method',
    'status_code',
  ]),
  spec(N.DiscordRestDuration, 'histogram', 's', 'Discord REST request duration', ['route', 'method']),
  spec(N.DiscordRestRateLimits, 'counter', '{event}', 'Discord REST rate limits hit', ['route', 'scope']),
  spec(N.DiscordGatewayEvents, 'counter', '{event}', 'Gateway dispatch events received', ['shard.id', 'type']),
  spec(N.DiscordShardLatency, 'observable_gauge', 's', 'Gateway heartbeat round trip per shard', ['shard.id']),
  spec(N.DiscordShardStatus, 'observable_gauge', '1', '1 for the status a shard is in, 0 for the others', [
    'shard.id',
    'status',
  ]),
  spec(N.DiscordShardTransitions, 'counter', '{event}', 'Shard lifecycle transitions', ['shard.id', 'event']),
  spec(N.DiscordGuilds, 'observable_gauge', '{guild}', 'Guilds served per shard', ['shard.id']),
  spec(N.VoiceConnectionAttempts, 'counter', '{attempt}', 'Voice connection attempts', ['outcome']),
  spec(N.VoiceConnections, 'observable_gauge', '{connection}', 'Active voice connections', []),
  spec(N.PlayerCount, 'observable_gauge', '{player}', 'Players by node and state', ['lavalink.node', 'state']),
  spec(N.QueueTracks, 'observable_gauge', '{track}', 'Tracks waiting in all queues', []),
  spec(N.TrackEvents, 'counter', '{event}', 'Track lifecycle events', ['event', 'reason']),
  spec(N.TrackLoadDuration, 'histogram', 's', 'Lavalink track load duration', ['source', 'result']),
  spec(N.PlaybackTime, 'counter', 's', 'Seconds of audio played', ['source']),
  spec(N.LavalinkNodeUp, 'observable_gauge', '1', '1 while the Lavalink node is connected', ['lavalink.node']),
  spec(N.LavalinkNodePlayers, 'observable_gauge', '{player}', 'Players reported by the node', [
    'lavalink.node',
    'state',
  ]),
  spec(N.LavalinkNodeCpuLoad, 'observable_gauge', '1', 'Node CPU load (0-1)', ['lavalink.node', 'scope']),
  spec(N.LavalinkNodeMemoryUsed, 'observable_gauge', 'By', 'Node memory used', ['lavalink.node']),
  spec(N.LavalinkNodeFrames, 'observable_gauge', '{frame}', 'Audio frames per minute', ['lavalink.node', 'kind']),
  spec(N.LavalinkNodeFailovers, 'counter', '{player}', 'Players moved off a failed node', ['from', 'to', 'outcome']),
  spec(N.DbQueryDuration, 'histogram', 's', 'Repository query duration', [
    'db.operation.name',
    'db.collection.name',
    'outcome',
  ]),
  spec(N.DbErrors, 'counter', '{error}', 'Database errors by class', [
    'db.operation.name',
    'db.collection.name',
    'error.type',
  ]),
  spec(N.DbHistoryDropped, 'counter', '{row}', 'Play history rows the writer gave up on', ['reason']),
  spec(N.JobDuration, 'histogram', 's', 'Background job run duration', ['job', 'outcome']),
  spec(N.JobActive, 'updowncounter', '{job}', 'Background jobs running now', ['job']),
  spec(N.JobLastSuccessAge, 'observable_gauge', 's', 'Seconds since the job last succeeded', ['job']),
  spec(N.RetryAttempts, 'counter', '{attempt}', 'Retry attempts by outcome', ['operation', 'outcome']),
  spec(N.AutomationActions, 'counter', '{action}', 'Automatic actions taken by the bot', ['action', 'outcome']),
  spec(N.UsersActive, 'observable_gauge', '{user}', 'Distinct members who played music', ['window']),
  spec(N.TelemetryDropped, 'counter', '{item}', 'Telemetry items dropped by a failed export', ['signal']),
] as const satisfies readonly InstrumentSpec[];

/**
 * Instruments that the OpenTelemetry instrumentations and host/runtime metrics produce, which dashboards and alerts
 * may also use. Kind and unit decide their Prometheus names.
 */
export const LibraryInstrumentCatalogue = [
  spec('db.client.operation.duration', 'histogram', 's', 'instrumentation-pg', [
    'db.operation.name',
    'db.collection.name',
  ]),
  spec('db.client.connection.count', 'updowncounter', '{connection}', 'instrumentation-pg', [
    'db.client.connection.state',
  ]),
  spec('db.client.connection.pending_requests', 'updowncounter', '{request}', 'instrumentation-pg', []),
  spec('http.client.request.duration', 'histogram', 's', 'instrumentation-undici', [
    'http.request.method',
    'http.response.status_code',
    'server.address',
    'server.port',
  ]),
  // Names, kinds and units below are what instrumentation-runtime-node 0.37 and host-metrics 0.39 really emit
  // (read off the OTLP receiver), including their empty units.
  ...['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map((stat) =>
    spec(`nodejs.eventloop.delay.${stat}`, 'observable_gauge', 's', 'instrumentation-runtime-node', []),
  ),
  spec('nodejs.eventloop.utilization', 'observable_gauge', '1', 'instrumentation-runtime-node', []),
  spec('nodejs.eventloop.time', 'observable_counter', 's', 'instrumentation-runtime-node', ['nodejs.eventloop.state']),
  spec('v8js.memory.heap.used', 'observable_gauge', 'By', 'instrumentation-runtime-node', ['v8js.heap.space.name']),
  spec('v8js.memory.heap.space.size', 'updowncounter', 'By', 'instrumentation-runtime-node', ['v8js.heap.space.name']),
  spec('v8js.memory.heap.space.available_size', 'observable_gauge', 'By', 'instrumentation-runtime-node', [
    'v8js.heap.space.name',
  ]),
  spec('v8js.memory.heap.space.physical_size', 'observable_gauge', 'By', 'instrumentation-runtime-node', [
    'v8js.heap.space.name',
  ]),
  spec('v8js.gc.duration', 'histogram', 's', 'instrumentation-runtime-node', ['v8js.gc.type']),
  spec('v8js.resource.active', 'observable_gauge', '{resource}', 'instrumentation-runtime-node', [
    'v8js.resource.type',
  ]),
  spec('process.cpu.time', 'observable_counter', 's', 'host-metrics', ['process.cpu.state']),
  spec('process.cpu.utilization', 'observable_gauge', '', 'host-metrics', ['process.cpu.state']),
  spec('process.memory.usage', 'observable_gauge', '', 'host-metrics', []),
] as const satisfies readonly InstrumentSpec[];

function spec(
  name: string,
  kind: InstrumentKind,
  unit: string,
  description: string,
  attributes: readonly string[],
): InstrumentSpec {
  return { name, kind, unit, description, attributes };
}
