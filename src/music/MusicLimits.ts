import { MusicError } from './MusicError.js';
import { formatDuration, type LoadedTrack } from './Track.js';

/**
 * Limits a guild's queue enforces, from config. A zero turns a limit off, as a zero command budget turns the
 * throttle off, so operators have one convention to remember.
 */
export interface MusicLimits {
  /** Most tracks waiting in one guild's queue (the playing track is not counted). */
  readonly maxQueueLength: number;
  /** Longest track accepted, in milliseconds. Streams have no length and are always accepted. */
  readonly maxTrackLengthMs: number;
  /** Most tracks one playlist may bring; a larger playlist is refused as a whole. */
  readonly maxPlaylistSize: number;
  /**
   * Most of the queue's capacity one member may hold, in percent (1-100; 100 means no per-member cap). It is a
   * share of `maxQueueLength`, not of the tracks waiting now, so the first member of an empty queue is not refused.
   */
  readonly maxMemberSharePercent: number;
}

/** The limits used when config says nothing. */
export const DefaultMusicLimits: MusicLimits = Object.freeze({
  maxQueueLength: 500,
  maxTrackLengthMs: 3 * 60 * 60 * 1000,
  maxPlaylistSize: 250,
  maxMemberSharePercent: 100,
});

/**
 * Merges `overrides` over {@link DefaultMusicLimits} and checks the result; a bad value is a configuration mistake
 * and throws a `RangeError` naming the field.
 */
export function resolveMusicLimits(overrides: Partial<MusicLimits> = {}): MusicLimits {
  const limits = { ...DefaultMusicLimits, ...definedOnly(overrides) };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`music limit ${key} must be a whole number >= 0, got ${String(value)}`);
    }
  }
  if (limits.maxMemberSharePercent < 1 || limits.maxMemberSharePercent > 100) {
    throw new RangeError(
      `music limit maxMemberSharePercent must be from 1 to 100, got ${limits.maxMemberSharePercent}`,
    );
  }
  return Object.freeze(limits);
}

/** How many waiting tracks one member may hold; `Infinity` when there is no per-member cap. */
export function memberTrackLimit(limits: MusicLimits): number {
  if (limits.maxMemberSharePercent >= 100 || limits.maxQueueLength === 0) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor((limits.maxQueueLength * limits.maxMemberSharePercent) / 100));
}

/** What the queue holds now, as far as the limits care. */
export interface QueueOccupancy {
  /** Tracks waiting (not counting the playing one). */
  readonly waiting: number;
  /** Of those, tracks the requesting member queued. */
  readonly waitingByMember: number;
}

/**
 * Which tracks of an addition fit, and why the others did not. `trimmed` is the count dropped because the queue
 * reached `maxQueueLength`: the caller counts it as a `queue_trim` automation action and tells the member.
 */
export interface AdditionPlan<T> {
  readonly accepted: readonly T[];
  /** Dropped for being longer than `maxTrackLengthMs`. */
  readonly tooLong: number;
  /** Dropped because the member reached their share of the queue. */
  readonly overShare: number;
  /** Dropped because the queue reached its length limit. */
  readonly trimmed: number;
}

/** How an addition came about: a playlist is also checked against `maxPlaylistSize`. */
export interface AdditionOptions {
  readonly playlist?: boolean;
}

type Measurable = Pick<LoadedTrack, 'isStream' | 'lengthMs'>;

/**
 * Decides which of `tracks` one member may add, in order: playlist size, track length, the member's share, the queue
 * length. Partial additions are trimmed from the end; an addition of which nothing fits throws the {@link MusicError}
 * of the first limit that left nothing (`playlist.too_large`, `track.too_long`, `member.share_exceeded`,
 * `queue.full`), so a single track either fits or is refused with a reason.
 */
export function planAddition<T extends Measurable>(
  tracks: readonly T[],
  occupancy: QueueOccupancy,
  limits: MusicLimits,
  options: AdditionOptions = {},
): AdditionPlan<T> {
  if (options.playlist && limits.maxPlaylistSize > 0 && tracks.length > limits.maxPlaylistSize) {
    throw new MusicError('playlist.too_large', { size: tracks.length, limit: limits.maxPlaylistSize });
  }
  if (tracks.length === 0) return { accepted: [], tooLong: 0, overShare: 0, trimmed: 0 };

  const fitting = tracks.filter((track) => !isTooLong(track, limits));
  if (fitting.length === 0) {
    throw new MusicError('track.too_long', {
      limit: formatDuration(limits.maxTrackLengthMs),
      limitMs: limits.maxTrackLengthMs,
      lengthMs: tracks[0]?.lengthMs ?? 0,
    });
  }

  const memberLimit = memberTrackLimit(limits);
  const shareLeft = memberLimit - occupancy.waitingByMember;
  if (shareLeft <= 0) {
    throw new MusicError('member.share_exceeded', { count: occupancy.waitingByMember, limit: memberLimit });
  }
  const withinShare = fitting.slice(0, shareLeft);

  const capacityLeft =
    limits.maxQueueLength === 0 ? Number.POSITIVE_INFINITY : limits.maxQueueLength - occupancy.waiting;
  if (capacityLeft <= 0) throw new MusicError('queue.full', { limit: limits.maxQueueLength });
  const accepted = withinShare.slice(0, capacityLeft);

  return {
    accepted,
    tooLong: tracks.length - fitting.length,
    overShare: fitting.length - withinShare.length,
    trimmed: withinShare.length - accepted.length,
  };
}

/** Whether `track` breaks `maxTrackLengthMs`. Streams never do: they have no length to compare. */
export function isTooLong(track: Measurable, limits: MusicLimits): boolean {
  return !track.isStream && limits.maxTrackLengthMs > 0 && track.lengthMs > limits.maxTrackLengthMs;
}

function definedOnly(overrides: Partial<MusicLimits>): Partial<MusicLimits> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}
