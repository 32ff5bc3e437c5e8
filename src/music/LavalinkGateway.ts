import type { ValidatedQuery } from './QueryGuard.js';
import type { LoadedTrack, Track } from './Track.js';

/**
 * Lavalink v4 filters, exactly as the REST API takes them (`PATCH .../players/{guild}` `filters`). Setting filters
 * replaces all of them, so `{}` clears every filter.
 */
export interface LavalinkFilters {
  readonly volume?: number;
  /** Up to 15 bands (0-14, 25 Hz to 16 kHz); gain from -0.25 (muted) to 1.0 (doubled). */
  readonly equalizer?: readonly { readonly band: number; readonly gain: number }[];
  readonly karaoke?: {
    readonly level?: number;
    readonly monoLevel?: number;
    readonly filterBand?: number;
    readonly filterWidth?: number;
  };
  readonly timescale?: { readonly speed?: number; readonly pitch?: number; readonly rate?: number };
  readonly tremolo?: { readonly frequency?: number; readonly depth?: number };
  readonly vibrato?: { readonly frequency?: number; readonly depth?: number };
  readonly rotation?: { readonly rotationHz?: number };
  readonly distortion?: {
    readonly sinOffset?: number;
    readonly sinScale?: number;
    readonly cosOffset?: number;
    readonly cosScale?: number;
    readonly tanOffset?: number;
    readonly tanScale?: number;
    readonly offset?: number;
    readonly scale?: number;
  };
  readonly channelMix?: {
    readonly leftToLeft?: number;
    readonly leftToRight?: number;
    readonly rightToLeft?: number;
    readonly rightToRight?: number;
  };
  readonly lowPass?: { readonly smoothing?: number };
}

/** Lavalink's classification of a load failure. */
export type LoadFailureSeverity = 'common' | 'suspicious' | 'fault';

/** Why a load failed, as Lavalink reported it. The message is for logs, never shown to users verbatim. */
export interface LoadFailure {
  readonly message: string;
  readonly severity: LoadFailureSeverity;
}

/** The `result` attribute of `metronome.track.load.duration`. */
export type LoadResultKind = LoadResult['kind'];

/**
 * The outcome of a load. Every variant has `tracks`, so a caller that only wants "what can I queue" reads it
 * without switching on `kind`.
 */
export type LoadResult =
  | { readonly kind: 'track'; readonly tracks: readonly LoadedTrack[] }
  | { readonly kind: 'playlist'; readonly tracks: readonly LoadedTrack[]; readonly playlistName: string }
  | { readonly kind: 'search'; readonly tracks: readonly LoadedTrack[] }
  | { readonly kind: 'empty'; readonly tracks: readonly LoadedTrack[] }
  | { readonly kind: 'error'; readonly tracks: readonly LoadedTrack[]; readonly error: LoadFailure };

/** How to start a track. Everything is optional so `play(track)` plays from the start with the player's settings. */
export interface PlayOptions {
  /** Where to start, for resuming after a restart or a node failover. */
  readonly startMs?: number;
  readonly paused?: boolean;
  /** 0-200, the queue's volume scale (100 is unchanged). */
  readonly volume?: number;
  readonly filters?: LavalinkFilters;
}

/** Lavalink's `TrackEndEvent` reasons. */
export type TrackEndReason = 'finished' | 'loadFailed' | 'stopped' | 'replaced' | 'cleanup';

/**
 * What a player reports. `type` matches the `event` attribute of `metronome.track.events`; `encoded` says which
 * track the event is about, because a late `end` of a replaced track must not advance the queue twice.
 */
export type PlayerEvent =
  | { readonly type: 'start'; readonly encoded: string }
  | { readonly type: 'end'; readonly encoded: string; readonly reason: TrackEndReason }
  | {
      readonly type: 'exception';
      readonly encoded: string;
      readonly message: string;
      readonly severity: LoadFailureSeverity;
    }
  | { readonly type: 'stuck'; readonly encoded: string; readonly thresholdMs: number }
  | { readonly type: 'closed'; readonly code: number; readonly reason: string; readonly byRemote: boolean };

/** The `type` of a {@link PlayerEvent}. */
export type PlayerEventType = PlayerEvent['type'];

/** Receives a player's events. */
export type PlayerEventListener = (event: PlayerEvent) => void;

/**
 * Whether the queue should move on after a track ended for `reason`. Lavalink's own rule: only a track that finished
 * or failed to load makes room for the next; `stopped`, `replaced` and `cleanup` were caused by us.
 */
export function endStartsNext(reason: TrackEndReason): boolean {
  return reason === 'finished' || reason === 'loadFailed';
}

/**
 * One guild's player on some Lavalink node. The object outlives node failovers: the adapter moves it between nodes
 * and keeps its listeners, so the music service holds on to it for the whole session.
 */
export interface GuildPlayer {
  readonly guildId: string;
  /** Name of the node serving the player now (`lavalink.node` attribute); changes on failover. */
  readonly node: string;
  /** Plays `track`, replacing the current one. */
  play(track: Track, options?: PlayOptions): Promise<void>;
  /** Stops the current track; the player stays connected. */
  stop(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  seek(positionMs: number): Promise<void>;
  /** 0-200, the queue's volume scale. */
  setVolume(volume: number): Promise<void>;
  /** Replaces all filters; `{}` clears them. */
  setFilters(filters: LavalinkFilters): Promise<void>;
  /** The playback position in milliseconds, extrapolated from the node's last player update. */
  position(): number;
  /** Destroys the Lavalink player and leaves the voice channel. The object is unusable afterwards. */
  destroy(): Promise<void>;
  /** Subscribes to the player's events; returns the unsubscribe function. */
  onEvent(listener: PlayerEventListener): () => void;
}

/** Where to connect a guild's player. */
export interface JoinOptions {
  readonly guildId: string;
  readonly voiceChannelId: string;
  /** The gateway shard of the guild, which carries the voice state update. */
  readonly shardId: number;
  /** Join deafened (the default): the bot never listens, and Discord then sends it no audio. */
  readonly deaf?: boolean;
}

/**
 * Everything the music service needs from Lavalink. Production implements it with shoukaku (`src/lavalink/`); tests
 * implement it with a plain fake. Loads take a {@link ValidatedQuery}, so raw user text cannot reach a node.
 */
export interface LavalinkGateway {
  /** Resolves a checked query into tracks. Rejects only for transport failures; Lavalink errors are a result. */
  load(query: ValidatedQuery): Promise<LoadResult>;
  /** Connects to the voice channel (or moves there) and returns the guild's player. */
  join(options: JoinOptions): Promise<GuildPlayer>;
  /** The guild's player, if one exists. */
  player(guildId: string): GuildPlayer | undefined;
}
