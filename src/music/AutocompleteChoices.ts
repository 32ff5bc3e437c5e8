import type { MusicLogger } from './MusicServiceApi.js';
import { type QueryGuardOptions, validateQuery } from './QueryGuard.js';
import { formatTrackLength, type LoadedTrack } from './Track.js';
import type { TrackLoader } from './TrackLoader.js';

/** One autocomplete suggestion, as Discord takes it. */
export interface AutocompleteChoice {
  readonly name: string;
  readonly value: string;
}

/** Discord's limits: 25 choices, names and values of 1 to 100 characters. */
export const MaxChoices = 25;
export const MaxChoiceLength = 100;

/** Shortest input worth a search; shorter input is answered with nothing, without asking Lavalink. */
const MinQueryLength = 2;
/** Discord drops an autocomplete answer after 3 s; a slower search is not worth waiting for. */
const TimeoutMs = 2_500;

// Control characters would make Discord refuse the whole answer; titles come from the source, not from us.
const ControlCharacters = /[\p{Cc}\u2028\u2029]/gu;

/**
 * Turns search results into `/play` suggestions. The value is what `/play` receives when the member picks one: the
 * track's link when it fits (it plays exactly that track), otherwise "author title" as a new search.
 */
export function autocompleteChoices(tracks: readonly LoadedTrack[]): AutocompleteChoice[] {
  return tracks.slice(0, MaxChoices).map((track) => {
    const title = clean(track.title) || 'Untitled';
    const author = clean(track.author);
    const label = author ? `${title} — ${author}` : title;
    const uri = track.uri && track.uri.length <= MaxChoiceLength ? track.uri : null;
    return {
      name: truncate(`${label} (${formatTrackLength(track)})`, MaxChoiceLength),
      value: uri ?? truncate(author ? `${author} ${title}` : title, MaxChoiceLength),
    };
  });
}

/** What {@link suggestTracks} searches with. */
export interface SuggestOptions {
  readonly loader: TrackLoader;
  readonly queryOptions: QueryGuardOptions;
  readonly logger: Pick<MusicLogger, 'debug'>;
}

/**
 * Suggestions for `/play` as the member types. Never throws: a refused, failed or slow search suggests nothing.
 * Links and input under two characters are answered at once, without asking Lavalink (or DNS).
 */
export async function suggestTracks(query: string, options: SuggestOptions): Promise<AutocompleteChoice[]> {
  const text = typeof query === 'string' ? query.trim() : '';
  if (text.length < MinQueryLength || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return [];
  try {
    const validated = await validateQuery(text, options.queryOptions);
    if (validated.kind !== 'search') return [];
    const load = options.loader.loadAny(validated);
    // When the timeout wins the load is abandoned; its failure must not become an unhandled rejection.
    load.catch((error: unknown) => options.logger.debug({ err: error }, 'abandoned autocomplete load failed'));
    const result = await within(load, TimeoutMs);
    return result ? autocompleteChoices(result.tracks) : [];
  } catch (error) {
    options.logger.debug({ err: error }, 'autocomplete found nothing');
    return [];
  }
}

/** `promise`'s value, or `undefined` if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function clean(text: string): string {
  return text.replace(ControlCharacters, ' ').replace(/\s+/g, ' ').trim();
}

/** Cuts `text` to at most `max` UTF-16 units with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
