import type { Client } from 'discord.js';
import type { Secret } from '../config/Secret.js';
import type { Config } from '../config/schema.js';
import type { LavalinkInstruments } from '../telemetry/LavalinkInstruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';

/** One Lavalink node, as config `lavalink.nodes[]` lists it. */
export interface LavalinkNodeSettings {
  readonly name: string;
  /** `host:port`. */
  readonly url: string;
  readonly secure: boolean;
  /** Discord voice region the node serves best (e.g. `rotterdam`); players there prefer it. */
  readonly region: string | null;
}

/** Everything a {@link ShoukakuGateway} is built from. */
export interface ShoukakuGatewayOptions {
  /** The discord.js client; build the gateway before it logs in, or after it is ready. */
  readonly client: Client;
  /** No nodes: the gateway is disabled (`enabled` false) and every call throws `LavalinkUnavailableError`. */
  readonly nodes: readonly LavalinkNodeSettings[];
  /** Every node's password; handed to shoukaku as the node `auth` and nowhere else. Required when there are nodes. */
  readonly password: Secret | undefined;
  readonly instruments: LavalinkInstruments;
  /** The `lavalink` child logger. */
  readonly logger: Logger;
  /** Lavalink search prefix for text queries. */
  readonly searchPrefix?: string;
  /** How long Lavalink keeps a session (and plays on) for a client that dropped. */
  readonly resumeTimeoutS?: number;
  /** shoukaku's reconnect attempts per round, before it drops the node and the gateway adds it again. */
  readonly reconnectTries?: number;
  readonly reconnectIntervalMs?: number;
  /** Pause between one round of reconnects ending and the node being added again. Default: the reconnect interval. */
  readonly readdIntervalMs?: number;
  /**
   * After a connection closed, how long to wait for a resume (or a clear failure) before moving the node's players
   * anyway. A refused connection fails over at once; this covers a host that swallows packets.
   */
  readonly failoverAfterMs?: number;
  readonly restTimeoutMs?: number;
  readonly voiceConnectionTimeoutMs?: number;
  /** `User-Agent` of Lavalink REST calls. */
  readonly userAgent?: string;
  /** The clock positions are extrapolated on, in ms; `performance.now` by default. Tests pass the sandbox's. */
  readonly now?: () => number;
}

/** Defaults of the optional {@link ShoukakuGatewayOptions}. */
export const DefaultShoukakuGatewayOptions = {
  searchPrefix: 'ytsearch',
  resumeTimeoutS: 60,
  reconnectTries: 5,
  reconnectIntervalMs: 5_000,
  failoverAfterMs: 10_000,
  // shoukaku's 60 s would outlast the 15 minutes of a deferred interaction only just; a command should fail sooner.
  restTimeoutMs: 10_000,
  voiceConnectionTimeoutMs: 15_000,
  userAgent: 'Metronome (https://github.com/metronome-bot/metronome)',
} as const satisfies Partial<ShoukakuGatewayOptions>;

/** The gateway options config `lavalink.*` decides. */
export function gatewaySettingsFromConfig(
  lavalink: Config['lavalink'],
): Pick<
  ShoukakuGatewayOptions,
  'nodes' | 'password' | 'searchPrefix' | 'resumeTimeoutS' | 'reconnectTries' | 'reconnectIntervalMs'
> {
  return {
    nodes: lavalink.nodes.map((node) => ({
      name: node.name,
      url: node.url,
      secure: node.secure,
      region: node.region,
    })),
    password: lavalink.password,
    searchPrefix: lavalink.search_prefix,
    resumeTimeoutS: lavalink.resume_timeout_s,
    reconnectTries: lavalink.reconnect_tries,
    reconnectIntervalMs: lavalink.reconnect_interval_ms,
  };
}
