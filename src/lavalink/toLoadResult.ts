import type { LavalinkResponse, Track as ShoukakuTrack } from 'shoukaku';
import type { LoadFailureSeverity, LoadResult } from '../music/LavalinkGateway.js';
import type { LoadedTrack } from '../music/Track.js';

const Severities = new Set<string>(['common', 'suspicious', 'fault']);

/**
 * Turns Lavalink's `/v4/loadtracks` answer into the music layer's {@link LoadResult}. An empty body (shoukaku
 * returns `undefined` for one) is an empty result; an unknown `loadType` is an error result, not a throw, because
 * the node did answer.
 */
export function toLoadResult(response: LavalinkResponse | undefined): LoadResult {
  if (!response) return { kind: 'empty', tracks: [] };
  switch (response.loadType) {
    case 'track':
      return { kind: 'track', tracks: [toLoadedTrack(response.data)] };
    case 'playlist':
      return {
        kind: 'playlist',
        tracks: response.data.tracks.map(toLoadedTrack),
        playlistName: response.data.info.name,
      };
    case 'search':
      return { kind: 'search', tracks: response.data.map(toLoadedTrack) };
    case 'empty':
      return { kind: 'empty', tracks: [] };
    case 'error':
      return {
        kind: 'error',
        tracks: [],
        error: { message: response.data.message || 'unknown error', severity: severity(response.data.severity) },
      };
    default:
      return {
        kind: 'error',
        tracks: [],
        error: {
          message: `unknown loadType ${String((response as { loadType?: unknown }).loadType)}`,
          severity: 'fault',
        },
      };
  }
}

/**
 * One Lavalink track as the music layer keeps it. A stream's `length` is Lavalink's 2^63-1 sentinel, which is not a
 * duration (and not even exact as a double): streams get `lengthMs: 0` and are told apart by `isStream`.
 */
export function toLoadedTrack(track: ShoukakuTrack): LoadedTrack {
  const { info } = track;
  return Object.freeze({
    encoded: track.encoded,
    identifier: info.identifier,
    title: info.title,
    author: info.author,
    lengthMs: info.isStream ? 0 : Math.max(0, info.length),
    isStream: info.isStream,
    isSeekable: info.isSeekable,
    uri: info.uri ?? null,
    artworkUrl: info.artworkUrl ?? null,
    sourceName: info.sourceName,
  });
}

function severity(value: string | undefined): LoadFailureSeverity {
  return value !== undefined && Severities.has(value) ? (value as LoadFailureSeverity) : 'fault';
}
