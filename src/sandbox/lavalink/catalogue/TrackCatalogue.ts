import type { LavalinkTrack } from '../protocol/LavalinkTrack.js';
import { type LavalinkLoadResult, lavalinkException } from '../protocol/LoadResult.js';
import type { CatalogueSpec, CatalogueTrack, PlaybackFailure } from './CatalogueEntry.js';
import { type EncodableTrackInfo, encodeTrack, trackJson } from './trackCodec.js';

/** Search prefixes and the source each searches, as Lavalink's YouTube and SoundCloud sources define them. */
const SEARCH_PREFIXES: Readonly<Record<string, string>> = {
  'ytsearch:': 'youtube',
  'ytmsearch:': 'youtube',
  'scsearch:': 'soundcloud',
};
const SEARCH_LIMIT = 10;
const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com']);

/** What the catalogue resolves a `PATCH ... track.identifier` to: one track, or why there is none. */
export type SingleTrackResolution =
  | { readonly kind: 'track'; readonly track: LavalinkTrack }
  | { readonly kind: 'notSingle' | 'empty' }
  | { readonly kind: 'error'; readonly message: string };

/** The tracks a sandbox node can load: `GET /v4/loadtracks` semantics over a fixed {@link CatalogueSpec}. */
export class TrackCatalogue {
  readonly #byKey = new Map<string, CatalogueTrack>();
  readonly #tracks: readonly CatalogueTrack[];

  public constructor(private readonly spec: CatalogueSpec) {
    this.#tracks = spec.tracks;
    for (const track of spec.tracks) {
      this.#byKey.set(track.info.identifier, track);
      if (track.info.uri) this.#byKey.set(track.info.uri, track);
    }
  }

  /** Every track, in catalogue order. */
  public get tracks(): readonly LavalinkTrack[] {
    return this.#tracks.map((t) => toTrack(t.info));
  }

  /** Resolves an identifier exactly as `GET /v4/loadtracks?identifier=` answers it. */
  public load(identifier: string): LavalinkLoadResult {
    const search = this.#search(identifier);
    if (search) return search.length > 0 ? { loadType: 'search', data: search } : { loadType: 'empty', data: {} };
    const failure = this.spec.failures.find((f) => f.identifier === identifier);
    if (failure) {
      return { loadType: 'error', data: lavalinkException(failure.message, failure.severity, failure.cause) };
    }
    const playlist = this.spec.playlists.find((p) => p.url === identifier);
    if (playlist) {
      const tracks = playlist.trackIdentifiers
        .map((id) => this.#byKey.get(id))
        .filter((t) => t !== undefined)
        .map((t) => toTrack(t.info));
      return {
        loadType: 'playlist',
        data: { info: { name: playlist.name, selectedTrack: -1 }, pluginInfo: {}, tracks },
      };
    }
    const track = this.#find(identifier);
    return track ? { loadType: 'track', data: toTrack(track.info) } : { loadType: 'empty', data: {} };
  }

  /** Resolves `track.identifier` of a player update, which must name exactly one track. */
  public loadSingle(identifier: string): SingleTrackResolution {
    const result = this.load(identifier);
    switch (result.loadType) {
      case 'track':
        return { kind: 'track', track: result.data };
      case 'error':
        return { kind: 'error', message: result.data.message ?? 'Failed to load track' };
      case 'empty':
        return { kind: 'empty' };
      default:
        return { kind: 'notSingle' };
    }
  }

  /** How a decoded track behaves when played: a failure when the catalogue says so. */
  public playbackFailure(info: EncodableTrackInfo): PlaybackFailure | undefined {
    const entry = this.#byKey.get(info.identifier);
    return entry?.info.sourceName === info.sourceName ? entry.failsOnPlay : undefined;
  }

  #search(identifier: string): LavalinkTrack[] | undefined {
    const prefix = Object.keys(SEARCH_PREFIXES).find((p) => identifier.startsWith(p));
    if (prefix === undefined) return undefined;
    const source = SEARCH_PREFIXES[prefix];
    const query = identifier.slice(prefix.length).trim().toLowerCase();
    if (query.length === 0) return [];
    return this.#tracks
      .filter((t) => t.info.sourceName === source && t.info.title.toLowerCase().includes(query))
      .slice(0, SEARCH_LIMIT)
      .map((t) => toTrack(t.info));
  }

  #find(identifier: string): CatalogueTrack | undefined {
    const exact = this.#byKey.get(identifier);
    if (exact) return exact;
    const videoId = youtubeVideoId(identifier);
    const entry = videoId === undefined ? undefined : this.#byKey.get(videoId);
    return entry?.info.sourceName === 'youtube' ? entry : undefined;
  }
}

function toTrack(info: EncodableTrackInfo): LavalinkTrack {
  return trackJson(encodeTrack(info), info);
}

/** The video id of a YouTube watch or short link (`watch?v=`, `youtu.be/`), which the YouTube source accepts. */
function youtubeVideoId(identifier: string): string | undefined {
  let url: URL;
  try {
    url = new URL(identifier);
  } catch {
    return undefined;
  }
  if (url.hostname === 'youtu.be') return url.pathname.slice(1) || undefined;
  if (YOUTUBE_HOSTS.has(url.hostname) && url.pathname === '/watch') return url.searchParams.get('v') ?? undefined;
  return undefined;
}
