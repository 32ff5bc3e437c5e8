import type { LavalinkPlaylistInfo, LavalinkTrack } from './LavalinkTrack.js';

/** How bad a failure is, in Lavalink's (lavaplayer's) words. */
export type LavalinkSeverity = 'common' | 'suspicious' | 'fault';

/** Lavalink's `Exception` object, used by load errors and `TrackExceptionEvent`. */
export interface LavalinkException {
  readonly message: string | null;
  readonly severity: LavalinkSeverity;
  readonly cause: string;
  /** Added in Lavalink 4.1: the full stack trace of the cause. */
  readonly causeStackTrace: string;
}

/** Lavalink's playlist result data. */
export interface LavalinkPlaylist {
  readonly info: LavalinkPlaylistInfo;
  readonly pluginInfo: Record<string, unknown>;
  readonly tracks: readonly LavalinkTrack[];
}

/** What `GET /v4/loadtracks` answers. */
export type LavalinkLoadResult =
  | { readonly loadType: 'track'; readonly data: LavalinkTrack }
  | { readonly loadType: 'playlist'; readonly data: LavalinkPlaylist }
  | { readonly loadType: 'search'; readonly data: readonly LavalinkTrack[] }
  | { readonly loadType: 'empty'; readonly data: Record<string, never> }
  | { readonly loadType: 'error'; readonly data: LavalinkException };

/** Builds an exception object the way Lavalink serialises a lavaplayer `FriendlyException`. */
export function lavalinkException(message: string, severity: LavalinkSeverity, cause: string): LavalinkException {
  return {
    message,
    severity,
    cause,
    causeStackTrace: `${cause}\n\tat sandbox.lavalink.SandboxSource.load(SandboxSource.kt:1)\n`,
  };
}
