import type { LavalinkSeverity } from '../protocol/LoadResult.js';
import type { EncodableTrackInfo } from './trackCodec.js';

/** A failure a track hits as soon as it starts playing (a corrupt file, a region lock found late). */
export interface PlaybackFailure {
  readonly message: string;
  readonly severity: LavalinkSeverity;
  readonly cause: string;
}

/** One track of the sandbox catalogue. */
export interface CatalogueTrack {
  readonly info: EncodableTrackInfo;
  /** When set, the track loads fine but fails on play: TrackExceptionEvent, then TrackEndEvent `loadFailed`. */
  readonly failsOnPlay?: PlaybackFailure;
}

/** A playlist of the catalogue, loaded by its URL. */
export interface CataloguePlaylist {
  readonly url: string;
  readonly name: string;
  /** Identifiers of catalogue tracks, in order. */
  readonly trackIdentifiers: readonly string[];
}

/** An identifier whose load fails with `loadType: error`. */
export interface CatalogueLoadFailure {
  readonly identifier: string;
  readonly message: string;
  readonly severity: LavalinkSeverity;
  readonly cause: string;
}

/** Everything `GET /v4/loadtracks` can find. */
export interface CatalogueSpec {
  readonly tracks: readonly CatalogueTrack[];
  readonly playlists: readonly CataloguePlaylist[];
  readonly failures: readonly CatalogueLoadFailure[];
}
