import type { LavalinkTrack } from './LavalinkTrack.js';

/** Lavalink's `Player State` object (also the `state` of `playerUpdate`). */
export interface LavalinkPlayerState {
  /** Unix time in milliseconds, read from the node's clock. */
  readonly time: number;
  readonly position: number;
  /** Whether the node holds a voice connection for the player. */
  readonly connected: boolean;
  /** Voice ping in milliseconds, -1 when not connected. */
  readonly ping: number;
}

/** Lavalink's `Voice State` object. `channelId` is required since Lavalink 4.2 (DAVE). */
export interface LavalinkVoiceState {
  readonly token: string;
  readonly endpoint: string;
  readonly sessionId: string;
  readonly channelId?: string | null;
}

/** Lavalink's `Filters` object: only the filters that are set. */
export type LavalinkFiltersJson = Readonly<Record<string, unknown>>;

/** Lavalink's `Player` object, as `GET/PATCH /v4/sessions/{id}/players/{guild}` answer it. */
export interface LavalinkPlayerJson {
  readonly guildId: string;
  readonly track: LavalinkTrack | null;
  readonly volume: number;
  readonly paused: boolean;
  readonly state: LavalinkPlayerState;
  readonly voice: LavalinkVoiceState;
  readonly filters: LavalinkFiltersJson;
}
