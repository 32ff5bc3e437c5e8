import type { LoadedTrack, Track, TrackRequester } from '../../src/music/Track.js';
import { createTrack } from '../../src/music/Track.js';

/** A loaded track named after `id`, three minutes long unless overridden. */
export function loadedTrack(id: string, overrides: Partial<LoadedTrack> = {}): LoadedTrack {
  return {
    encoded: `enc-${id}`,
    identifier: id,
    title: `Title ${id}`,
    author: 'Artist',
    lengthMs: 180_000,
    isStream: false,
    isSeekable: true,
    uri: `https://media.example/${id}`,
    artworkUrl: null,
    sourceName: 'youtube',
    ...overrides,
  };
}

export const alice: TrackRequester = { id: '100', name: 'alice' };
export const bob: TrackRequester = { id: '200', name: 'bob' };

/** A queue entry named after `id`, requested by alice unless said otherwise. */
export function track(id: string, requester: TrackRequester = alice, overrides: Partial<LoadedTrack> = {}): Track {
  return createTrack(loadedTrack(id, overrides), requester);
}

/** Queue entries `prefix1..prefixN`. */
export function tracks(count: number, requester: TrackRequester = alice, prefix = 't'): Track[] {
  return Array.from({ length: count }, (_, i) => track(`${prefix}${i + 1}`, requester));
}

/** The identifiers of tracks, for compact assertions on order. */
export function ids(list: readonly (Track | null)[]): (string | null)[] {
  return list.map((t) => t?.identifier ?? null);
}
