import type { CatalogueSpec } from './catalogue/CatalogueEntry.js';
import { defaultCatalogue } from './catalogue/defaultCatalogue.js';
import { DefaultNodeLoad, type NodeLoad } from './state/NodeLoad.js';

/** How to start a sandbox Lavalink node; every field is optional. */
export interface SandboxLavalinkOptions {
  /** The password clients must send as `Authorization` (REST and websocket). */
  password?: string;
  /** The node's name, used by `nodeOption()`. */
  name?: string;
  /** Interface to bind; loopback only by default. */
  host?: string;
  /** Port to bind; 0 picks a free one. */
  port?: number;
  /** Interval of the `stats` op. Lavalink sends it every minute; the sandbox every 5 s, tests less. */
  statsIntervalMs?: number;
  /** Interval of `playerUpdate` per player with a track (Lavalink's `playerUpdateInterval`, 5 s by default). */
  playerUpdateIntervalMs?: number;
  /** Latency of `GET /v4/loadtracks`, as a source lookup takes. */
  loadLatencyMs?: number;
  /**
   * The clock that drives playback, in ms since the epoch. With the default (`Date.now`) tracks end on their own;
   * with an injected clock, time events happen on `tick()` and before every REST answer.
   */
  now?: () => number;
  /** What `GET /v4/loadtracks` can find; `defaultCatalogue()` by default. */
  catalogue?: CatalogueSpec;
  /** The voice `ping` players report while connected. */
  voicePingMs?: number;
  /** How long a track without a voice connection lasts before it ends with `cleanup` (lavaplayer: 60 s). */
  cleanupThresholdMs?: number;
  /** CPU and frame figures reported in `stats`. */
  load?: Partial<NodeLoad>;
}

/** The options after defaults were applied. */
export type ResolvedSandboxLavalinkOptions = Required<Omit<SandboxLavalinkOptions, 'now' | 'load'>> & {
  readonly now: (() => number) | undefined;
  readonly load: NodeLoad;
};

/** Defaults for every option. */
export const DefaultSandboxLavalinkOptions = {
  password: 'youshallnotpass',
  name: 'sandbox',
  host: '127.0.0.1',
  port: 0,
  statsIntervalMs: 5000,
  playerUpdateIntervalMs: 5000,
  loadLatencyMs: 0,
  voicePingMs: 20,
  cleanupThresholdMs: 60_000,
} as const satisfies Partial<SandboxLavalinkOptions>;

/** Merges options over {@link DefaultSandboxLavalinkOptions}. */
export function resolveSandboxLavalinkOptions(options: SandboxLavalinkOptions): ResolvedSandboxLavalinkOptions {
  return {
    ...DefaultSandboxLavalinkOptions,
    ...withoutUndefined(options),
    catalogue: options.catalogue ?? defaultCatalogue(),
    now: options.now,
    load: { ...DefaultNodeLoad, ...withoutUndefined(options.load ?? {}) },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
