/**
 * A track as Lavalink describes it, before anyone asked for it. Every field is JSON-friendly (`null`, never
 * `undefined`), so queues holding tracks can be snapshotted and restored as plain JSON.
 */
export interface LoadedTrack {
  /** Lavalink's opaque encoding of the track; what `play` sends back. */
  readonly encoded: string;
  /** The source's own id (e.g. a YouTube video id). */
  readonly identifier: string;
  readonly title: string;
  readonly author: string;
  /** Length in milliseconds; meaningless for streams. */
  readonly lengthMs: number;
  readonly isStream: boolean;
  readonly isSeekable: boolean;
  readonly uri: string | null;
  readonly artworkUrl: string | null;
  /** Lavalink source manager name, e.g. `youtube`, `soundcloud`, `http`. Low cardinality: safe as a metric value. */
  readonly sourceName: string;
}

/** The member who queued a track. */
export interface TrackRequester {
  readonly id: string;
  /** Display name at the time of queueing, for replies; never used for decisions. */
  readonly name: string;
}

/**
 * The span context of the command that queued a track, kept opaque (plain strings) so the music layer does not
 * depend on OpenTelemetry; the player turns it into a span link on `track play`.
 */
export interface TrackOrigin {
  readonly traceId: string;
  readonly spanId: string;
}

/** A track in a guild's queue: what Lavalink loaded plus who asked for it and from which command. */
export interface Track extends LoadedTrack {
  readonly requester: TrackRequester;
  /** Absent when the track was not queued by a traced command (e.g. restored after a restart). */
  readonly origin?: TrackOrigin;
}

/**
 * Makes a queue entry from a loaded track. The result is frozen so queues, snapshots and the player can share it
 * without defensive copies.
 */
export function createTrack(loaded: LoadedTrack, requester: TrackRequester, origin?: TrackOrigin): Track {
  const requesterCopy = Object.freeze({ id: requester.id, name: requester.name });
  const track: Track = {
    encoded: loaded.encoded,
    identifier: loaded.identifier,
    title: loaded.title,
    author: loaded.author,
    lengthMs: loaded.lengthMs,
    isStream: loaded.isStream,
    isSeekable: loaded.isSeekable,
    uri: loaded.uri,
    artworkUrl: loaded.artworkUrl,
    sourceName: loaded.sourceName,
    requester: requesterCopy,
    // Only present when known: a snapshot must not carry `origin: undefined`, which JSON would silently drop.
    ...(origin ? { origin: Object.freeze({ traceId: origin.traceId, spanId: origin.spanId }) } : {}),
  };
  return Object.freeze(track);
}

/**
 * Formats a duration as `mm:ss` below an hour and `h:mm:ss` from an hour up (`03:07`, `1:02:03`). Fractions of a
 * second are dropped, so a progress display never shows a second that has not fully elapsed.
 */
export function formatDuration(ms: number): string {
  const totalSeconds = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, '0');
  const mm = String(minutes).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The length of a track for display: `LIVE` for streams, whose Lavalink length is a sentinel, not a duration. */
export function formatTrackLength(track: Pick<LoadedTrack, 'isStream' | 'lengthMs'>): string {
  return track.isStream ? 'LIVE' : formatDuration(track.lengthMs);
}

/** Total length of the given tracks in milliseconds; streams count as zero because they have no end. */
export function totalLengthMs(tracks: Iterable<Pick<LoadedTrack, 'isStream' | 'lengthMs'>>): number {
  let total = 0;
  for (const track of tracks) if (!track.isStream) total += track.lengthMs;
  return total;
}
