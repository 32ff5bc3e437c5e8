import type { MusicInstruments } from '../telemetry/MusicInstruments.js';
import { AttributeNames } from '../telemetry/TelemetryNames.js';
import type { LavalinkGateway, LoadResult, LoadResultKind } from './LavalinkGateway.js';
import { MusicError } from './MusicError.js';
import type { ValidatedQuery } from './QueryGuard.js';

/** A load that found something to queue. */
export type UsableLoad = Extract<LoadResult, { kind: 'track' | 'playlist' | 'search' }>;

/** What the loader needs besides the gateway. */
export interface TrackLoaderOptions {
  readonly gateway: LavalinkGateway;
  readonly instruments: MusicInstruments;
  /** The Lavalink search prefix search text goes out with; names the `source` of searches that found nothing. */
  readonly searchPrefix: string;
  readonly now: () => number;
  readonly logger: { warn(object: object, message: string): void };
}

// A load that never got an answer counts as Lavalink's `error` result: for the metric, both mean "nothing loaded".
const TransportFailure: LoadResultKind = 'error';

// Sources of the search prefixes config allows; any other prefix names its own source (`spsearch` -> `sp`).
const SearchSources: Readonly<Record<string, string>> = {
  ytsearch: 'youtube',
  ytmsearch: 'youtube',
  scsearch: 'soundcloud',
};

/**
 * Loads queries through Lavalink and times every load into `metronome.track.load.duration` by `source` and `result`,
 * whether it found tracks, nothing, a Lavalink error or a transport failure.
 */
export class TrackLoader {
  constructor(private readonly options: TrackLoaderOptions) {}

  /**
   * Loads `query` and returns what can be queued. Nothing found is `load.no_matches`, a Lavalink error `load.failed`
   * (both {@link MusicError}s); a transport failure propagates as it is.
   */
  async load(query: ValidatedQuery): Promise<UsableLoad> {
    const result = await this.loadAny(query);
    if (result.kind === 'error') {
      this.options.logger.warn(
        { lavalink_error: result.error.message, severity: result.error.severity, query_kind: query.kind },
        'lavalink could not load a query',
      );
      throw new MusicError('load.failed', { severity: result.error.severity });
    }
    if (result.kind === 'empty' || result.tracks.length === 0) throw new MusicError('load.no_matches');
    return result;
  }

  /** Loads `query` and returns Lavalink's answer whatever it is; rejects only for transport failures. */
  async loadAny(query: ValidatedQuery): Promise<LoadResult> {
    const started = this.options.now();
    let result: LoadResult | undefined;
    try {
      result = await this.options.gateway.load(query);
      return result;
    } finally {
      const seconds = Math.max(0, this.options.now() - started) / 1000;
      this.options.instruments.trackLoadDuration.record(seconds, {
        [AttributeNames.Source]: this.#source(query, result),
        [AttributeNames.Result]: result?.kind ?? TransportFailure,
      });
    }
  }

  /**
   * The `source` of a load: the source manager of what it found, else the one a search went to, else `unknown` (a
   * URL that loaded nothing names no source, and its host is user input).
   */
  #source(query: ValidatedQuery, result: LoadResult | undefined): string {
    const found = result?.tracks[0]?.sourceName;
    if (found !== undefined) return metricSafe(found);
    if (query.kind === 'search')
      return SearchSources[this.options.searchPrefix] ?? this.options.searchPrefix.replace(/search$/, '');
    return 'unknown';
  }
}

/** A source name fit to be a metric value: Lavalink's are short lowercase words; anything else becomes `other`. */
export function metricSafe(sourceName: string): string {
  return /^[a-z0-9_-]{1,32}$/.test(sourceName) ? sourceName : 'other';
}
