import { type Link, type Span, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { endSpan, tracer } from '../telemetry/spans.js';
import { AttributeNames, SpanNames } from '../telemetry/TelemetryNames.js';
import type { LoadFailureSeverity } from './LavalinkGateway.js';
import type { Track, TrackOrigin } from './Track.js';

/**
 * Why a `track play` span ended (`metronome.track.end_reason`): Lavalink's end reasons, plus what the service itself
 * did to the track. Answers the on-call question "why did this track stop?".
 */
export type TrackStopReason =
  | 'finished'
  | 'loadFailed'
  | 'stopped'
  | 'replaced'
  | 'cleanup'
  | 'skipped'
  | 'exception'
  | 'stuck'
  | 'disconnected'
  | 'shutdown';

/** A track that failed while playing, as Lavalink reported it; recorded on the span and logged, never shown. */
export class TrackPlaybackError extends Error {
  override readonly name = 'TrackPlaybackError';

  constructor(
    message: string,
    readonly severity: LoadFailureSeverity | 'stuck',
  ) {
    super(message);
  }
}

/** Where a track plays, for the span's attributes. */
export interface PlaybackPlace {
  readonly guildId: string;
  readonly node: string;
}

/**
 * One track from Lavalink's TrackStart to its end: the `track play` span and the time actually played (pauses
 * excluded), which becomes `metronome.playback.time`. The span is the root of its own trace, because a track outlives
 * the command that queued it by minutes; it links to that command's span instead.
 */
export class TrackPlayback {
  readonly #span: Span;
  readonly #startedAt: number;
  #pausedAt: number | null = null;
  #pausedMs = 0;
  #ended = false;

  private constructor(
    readonly track: Track,
    span: Span,
    startedAt: number,
  ) {
    this.#span = span;
    this.#startedAt = startedAt;
  }

  /** Starts the span at `now` (the service's clock, in milliseconds). */
  static start(track: Track, place: PlaybackPlace, now: number): TrackPlayback {
    const link = linkTo(track.origin);
    const span = tracer().startSpan(SpanNames.TrackPlay, {
      kind: SpanKind.INTERNAL,
      root: true,
      links: link ? [link] : [],
      attributes: {
        [AttributeNames.DiscordGuildId]: place.guildId,
        [AttributeNames.LavalinkNode]: place.node,
        [AttributeNames.MetronomeTrackSource]: track.sourceName,
        // A stream's Lavalink length is a sentinel, not a duration.
        ...(track.isStream ? {} : { [AttributeNames.MetronomeTrackLength]: track.lengthMs }),
      },
    });
    return new TrackPlayback(track, span, now);
  }

  get encoded(): string {
    return this.track.encoded;
  }

  pause(now: number): void {
    this.#pausedAt ??= now;
  }

  resume(now: number): void {
    if (this.#pausedAt === null) return;
    this.#pausedMs += Math.max(0, now - this.#pausedAt);
    this.#pausedAt = null;
  }

  /**
   * Ends the span with `reason` (and `error`, which makes its status ERROR) and returns the seconds of audio played.
   * Ending twice is a no-op returning 0, so racing end paths cannot count the same time twice.
   */
  end(now: number, reason: TrackStopReason, error?: TrackPlaybackError): number {
    if (this.#ended) return 0;
    this.#ended = true;
    this.resume(now);
    this.#span.setAttribute(AttributeNames.MetronomeTrackEndReason, reason);
    endSpan(this.#span, error);
    return Math.max(0, now - this.#startedAt - this.#pausedMs) / 1000;
  }
}

/**
 * The link to the command span that queued the track. The ids come from a command that ran earlier (perhaps in
 * another process, through a snapshot), hence `isRemote`; the origin keeps no trace flags, and a command that queued
 * a track was recorded, hence `SAMPLED`. Malformed ids (a damaged snapshot) give no link rather than a broken one.
 */
function linkTo(origin: TrackOrigin | undefined): Link | undefined {
  if (!origin) return undefined;
  const context = { traceId: origin.traceId, spanId: origin.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
  return trace.isSpanContextValid(context) ? { context } : undefined;
}
