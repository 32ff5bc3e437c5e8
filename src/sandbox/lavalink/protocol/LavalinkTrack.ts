/** Lavalink's `Track Info` object. */
export interface LavalinkTrackInfo {
  readonly identifier: string;
  readonly isSeekable: boolean;
  readonly author: string;
  /** Milliseconds; `2 ** 63` (Java's Long.MAX_VALUE as JSON.parse reads it) for streams. */
  readonly length: number;
  readonly isStream: boolean;
  /** Milliseconds; 0 in load results, the playback position in players and events. */
  readonly position: number;
  readonly title: string;
  readonly uri: string | null;
  readonly artworkUrl: string | null;
  readonly isrc: string | null;
  readonly sourceName: string;
}

/** Lavalink's `Track` object. */
export interface LavalinkTrack {
  readonly encoded: string;
  readonly info: LavalinkTrackInfo;
  readonly pluginInfo: Record<string, unknown>;
  /** What the client attached with `track.userData` when it played the track; `{}` otherwise. */
  readonly userData: Record<string, unknown>;
}

/** Lavalink's `Playlist Info` object. */
export interface LavalinkPlaylistInfo {
  readonly name: string;
  /** Index of the selected track, -1 when none. */
  readonly selectedTrack: number;
}

/** The `length` Lavalink reports for a stream (Java's Long.MAX_VALUE, as a JavaScript number). */
export const STREAM_LENGTH = 2 ** 63;
