import { type Client, Events, Status } from 'discord.js';
import type { Instruments } from '../../telemetry/Instruments.js';
import type { Logger } from '../../telemetry/logging/createLogger.js';
import { AttributeNames } from '../../telemetry/TelemetryNames.js';

/** Shard status names as reported in `metronome.discord.shard.status`. */
const StatusNames: Record<number, string> = {
  [Status.Ready]: 'ready',
  [Status.Connecting]: 'connecting',
  [Status.Reconnecting]: 'reconnecting',
  [Status.Idle]: 'idle',
  [Status.Nearly]: 'nearly',
  [Status.Disconnected]: 'disconnected',
  [Status.WaitingForGuilds]: 'waiting_for_guilds',
  [Status.Identifying]: 'identifying',
  [Status.Resuming]: 'resuming',
};

/**
 * Feeds the gateway instruments from a discord.js client: dispatch events per shard and type, shard transitions,
 * and (observed at collection time) latency, status and guild count for every shard this process runs. Shards are
 * listed from configuration so a shard that never connected still reports as down.
 */
export class GatewayTelemetry {
  constructor(
    private readonly client: Client,
    private readonly instruments: Instruments,
    private readonly logger: Logger,
    private readonly shardIds: () => readonly number[],
  ) {
    client.on(Events.Raw, (packet: { t?: string | null }, shardId: number) => {
      if (packet.t) {
        instruments.gatewayEvents.add(1, { [AttributeNames.ShardId]: shardId, [AttributeNames.Type]: packet.t });
      }
    });
    client.on(Events.ShardReady, (id) => this.#transition(id, 'ready'));
    client.on(Events.ShardResume, (id) => this.#transition(id, 'resumed'));
    client.on(Events.ShardReconnecting, (id) => this.#transition(id, 'reconnecting'));
    client.on(Events.ShardDisconnect, (event, id) => this.#transition(id, 'disconnected', { code: event.code }));
    client.on(Events.ShardError, (error, id) => this.#transition(id, 'error', { err: error }));

    instruments.shardLatency.addCallback((result) => {
      for (const id of this.shardIds()) {
        const ping = client.ws.shards.get(id)?.ping;
        if (ping !== undefined && ping >= 0) result.observe(ping / 1000, { [AttributeNames.ShardId]: id });
      }
    });
    instruments.shardStatus.addCallback((result) => {
      for (const [id, status] of this.statuses()) {
        for (const name of ['ready', 'connecting', 'reconnecting', 'resuming', 'disconnected', 'idle']) {
          result.observe(status === name ? 1 : 0, { [AttributeNames.ShardId]: id, [AttributeNames.Status]: name });
        }
      }
    });
    instruments.guilds.addCallback((result) => {
      const counts = new Map<number, number>(this.shardIds().map((id) => [id, 0]));
      for (const guild of client.guilds.cache.values()) counts.set(guild.shardId, (counts.get(guild.shardId) ?? 0) + 1);
      for (const [id, count] of counts) result.observe(count, { [AttributeNames.ShardId]: id });
    });
  }

  /** Each shard's status name, for the gauges, `/healthz` and readiness. */
  statuses(): Map<number, string> {
    const out = new Map<number, string>();
    for (const id of this.shardIds()) {
      const shard = this.client.ws.shards.get(id);
      out.set(id, shard ? (StatusNames[shard.status] ?? 'unknown') : 'idle');
    }
    return out;
  }

  #transition(shardId: number, event: string, fields: Record<string, unknown> = {}): void {
    this.instruments.shardTransitions.add(1, { [AttributeNames.ShardId]: shardId, [AttributeNames.Event]: event });
    const level = event === 'error' || event === 'disconnected' ? 'warn' : 'info';
    this.logger[level]({ shard_id: shardId, event, ...fields }, `shard ${event}`);
  }
}
