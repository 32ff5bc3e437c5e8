import type { PlaybackFailure } from '../catalogue/CatalogueEntry.js';
import { type EncodableTrackInfo, trackJson } from '../catalogue/trackCodec.js';
import type { LavalinkTrack } from '../protocol/LavalinkTrack.js';
import { type LavalinkSeverity, lavalinkException } from '../protocol/LoadResult.js';
import type {
  LavalinkFiltersJson,
  LavalinkPlayerJson,
  LavalinkPlayerState,
  LavalinkVoiceState,
} from '../protocol/PlayerJson.js';
import type { PlayerEventMessage, ServerMessage, TrackEndReason } from '../protocol/ServerMessage.js';

/** What a player reads from its node. */
export interface PlayerEnvironment {
  now(): number;
  /** The `ping` reported while the player holds a voice connection. */
  readonly voicePingMs: number;
  /** How long a track may sit without a voice connection before lavaplayer cleans it up. */
  readonly cleanupThresholdMs: number;
  playbackFailure(info: EncodableTrackInfo): PlaybackFailure | undefined;
}

/** How to start a track. */
export interface PlayRequest {
  readonly encoded: string;
  readonly info: EncodableTrackInfo;
  readonly position?: number;
  readonly endTime?: number | null;
  readonly userData?: Record<string, unknown>;
  readonly paused: boolean;
}

/** A failure injected into the playing track by `SandboxLavalink.failTrack`. */
export type InjectedTrackFailure =
  | {
      readonly kind: 'exception';
      readonly message?: string;
      readonly severity?: LavalinkSeverity;
      readonly cause?: string;
    }
  | { readonly kind: 'stuck'; readonly thresholdMs?: number };

/** A closed Discord voice websocket, as `SandboxLavalink.closeVoice` injects it. */
export interface VoiceClose {
  readonly code?: number;
  readonly reason?: string;
  readonly byRemote?: boolean;
}

interface CurrentTrack {
  readonly encoded: string;
  readonly info: EncodableTrackInfo;
  userData: Record<string, unknown>;
  endTime: number | null;
  /** Set while a playback failure from the catalogue is pending (it fires on the next settle). */
  pendingFailure: PlaybackFailure | undefined;
}

const DEFAULT_STUCK_THRESHOLD_MS = 10_000;

/**
 * One guild's player on a sandbox node. Playback is a function of the node's clock: the position advances while a
 * track is loaded, the player is connected to voice, not paused and not stuck, at the timescale filter's rate. Time
 * events (end of track, end marker, cleanup, playback failures) happen in {@link SandboxPlayer.settle}.
 */
export class SandboxPlayer {
  #track: CurrentTrack | null = null;
  #anchorPosition = 0;
  #anchorTime: number;
  #paused = false;
  #volume = 100;
  #filters: LavalinkFiltersJson = {};
  #voice: LavalinkVoiceState | null = null;
  #voiceClosed = false;
  #stuck = false;
  #disconnectedSince: number | null = null;

  public constructor(
    public readonly guildId: string,
    private readonly env: PlayerEnvironment,
    private readonly send: (message: ServerMessage) => void,
  ) {
    this.#anchorTime = env.now();
  }

  /** Whether the player holds a (simulated) Discord voice connection. */
  public get connected(): boolean {
    return this.#voice !== null && !this.#voiceClosed;
  }

  public get hasTrack(): boolean {
    return this.#track !== null;
  }

  /** Lavalink's `isPlaying`: a track is loaded and the player is not paused. */
  public get playing(): boolean {
    return this.#track !== null && !this.#paused;
  }

  public get paused(): boolean {
    return this.#paused;
  }

  public get volume(): number {
    return this.#volume;
  }

  public get filters(): LavalinkFiltersJson {
    return this.#filters;
  }

  public get voice(): LavalinkVoiceState | null {
    return this.#voice;
  }

  public get stuck(): boolean {
    return this.#stuck;
  }

  public get endTime(): number | null {
    return this.#track?.endTime ?? null;
  }

  /** The position at `now`, never past the track's end (or end marker). */
  public positionAt(now: number): number {
    const track = this.#track;
    if (!track) return 0;
    if (!this.#advancing()) return this.#anchorPosition;
    const position = this.#anchorPosition + (now - this.#anchorTime) * this.#rate();
    const limit = this.#limit(track);
    return Math.floor(limit === undefined ? position : Math.min(position, limit));
  }

  /** The current track as Lavalink reports it, with its position. */
  public trackAt(now: number): LavalinkTrack | null {
    const track = this.#track;
    return track ? trackJson(track.encoded, track.info, this.positionAt(now), track.userData) : null;
  }

  public stateAt(now: number): LavalinkPlayerState {
    return {
      time: now,
      position: this.positionAt(now),
      connected: this.connected,
      ping: this.connected ? this.env.voicePingMs : -1,
    };
  }

  /** The Player object of the REST API. */
  public toJson(now: number): LavalinkPlayerJson {
    return {
      guildId: this.guildId,
      track: this.trackAt(now),
      volume: this.#volume,
      paused: this.#paused,
      state: this.stateAt(now),
      voice: this.#voice ?? { token: '', endpoint: '', sessionId: '' },
      filters: this.#filters,
    };
  }

  /** Plays a track, replacing the current one (TrackEndEvent `replaced`), and emits TrackStartEvent. */
  public play(request: PlayRequest): void {
    const now = this.env.now();
    this.#end('replaced', now);
    const position = request.info.isSeekable ? Math.max(0, request.position ?? 0) : 0;
    this.#track = {
      encoded: request.encoded,
      info: request.info,
      userData: request.userData ?? {},
      endTime: request.endTime ?? null,
      pendingFailure: this.env.playbackFailure(request.info),
    };
    this.#paused = request.paused;
    this.#stuck = false;
    this.#anchorPosition = Math.min(position, this.#limit(this.#track) ?? position);
    this.#anchorTime = now;
    this.#disconnectedSince = this.connected ? null : now;
    this.#event({ type: 'TrackStartEvent', track: this.trackAt(now)! });
    this.sendUpdate();
  }

  /** Stops the current track (TrackEndEvent `stopped`); nothing happens without one. */
  public stop(): void {
    this.#end('stopped', this.env.now());
  }

  /** Moves the position of a seekable track; ignored without one, as Lavalink does. */
  public seek(position: number): void {
    const track = this.#track;
    if (!track?.info.isSeekable) return;
    this.#anchorPosition = Math.max(0, Math.min(position, this.#limit(track) ?? position));
    this.#anchorTime = this.env.now();
    this.#stuck = false;
    this.sendUpdate();
  }

  public setPaused(paused: boolean): void {
    this.#reanchor();
    this.#paused = paused;
  }

  public setVolume(volume: number): void {
    this.#volume = volume;
  }

  /** Replaces every filter (Lavalink does not merge them). */
  public setFilters(filters: LavalinkFiltersJson): void {
    this.#reanchor();
    this.#filters = filters;
    this.sendUpdate();
  }

  public setEndTime(endTime: number | null): void {
    if (this.#track) this.#track.endTime = endTime;
  }

  public setUserData(userData: Record<string, unknown>): void {
    if (this.#track) this.#track.userData = userData;
  }

  /** Takes a complete voice state: the player (re)connects. */
  public setVoice(voice: LavalinkVoiceState): void {
    this.#reanchor();
    this.#voice = voice;
    this.#voiceClosed = false;
    this.#disconnectedSince = null;
  }

  /** Simulates Discord closing the voice websocket: WebSocketClosedEvent, and playback stalls. */
  public closeVoice(close: VoiceClose = {}): void {
    const now = this.env.now();
    this.#reanchor();
    this.#voiceClosed = true;
    if (this.#track) this.#disconnectedSince = now;
    this.#event({
      type: 'WebSocketClosedEvent',
      code: close.code ?? 4006,
      reason: close.reason ?? 'Session is no longer valid.',
      byRemote: close.byRemote ?? true,
    });
    this.sendUpdate();
  }

  /** Injects a failure into the current track; throws without one. */
  public fail(failure: InjectedTrackFailure): void {
    const now = this.env.now();
    const track = this.trackAt(now);
    if (!track) throw new Error(`The player of guild ${this.guildId} has no track to fail`);
    this.#reanchor();
    if (failure.kind === 'stuck') {
      this.#stuck = true;
      this.#event({ type: 'TrackStuckEvent', track, thresholdMs: failure.thresholdMs ?? DEFAULT_STUCK_THRESHOLD_MS });
      return;
    }
    const message = failure.message ?? 'Something went wrong while playing the track.';
    const cause = failure.cause ?? `java.io.IOException: ${message}`;
    // lavaplayer ends a track that failed before producing audio with LOAD_FAILED, later failures with FINISHED.
    const reason = track.info.position === 0 ? 'loadFailed' : 'finished';
    this.#exception({ message, severity: failure.severity ?? 'fault', cause }, now, reason);
  }

  /** Destroys the player: a playing track ends `stopped`, as lavaplayer's `destroy()` stops it. */
  public destroy(): void {
    this.#end('stopped', this.env.now());
  }

  /** Runs the time events due at `now`: playback failures, end of track (`finished`), cleanup. */
  public settle(now: number): void {
    const track = this.#track;
    if (!track) return;
    if (track.pendingFailure) {
      // The failure happens before any audio was produced, so the position stays where the track started.
      this.#anchorTime = now;
      this.#exception(track.pendingFailure, now, 'loadFailed');
      return;
    }
    const due = this.nextDueAt();
    if (due === undefined || due > now) return;
    if (this.connected) {
      this.#anchorPosition = this.#limit(track) ?? this.#anchorPosition;
      this.#anchorTime = now;
      this.#end('finished', now);
    } else {
      this.#end('cleanup', now);
    }
  }

  /** When the next time event is due, on the node's clock; undefined when nothing is pending. */
  public nextDueAt(): number | undefined {
    const track = this.#track;
    if (!track) return undefined;
    if (track.pendingFailure) return this.#anchorTime;
    if (!this.connected) return (this.#disconnectedSince ?? this.#anchorTime) + this.env.cleanupThresholdMs;
    const limit = this.#limit(track);
    if (limit === undefined || !this.#advancing()) return undefined;
    return this.#anchorTime + Math.max(0, limit - this.#anchorPosition) / this.#rate();
  }

  /** Sends `playerUpdate` with the current state. */
  public sendUpdate(): void {
    this.send({ op: 'playerUpdate', guildId: this.guildId, state: this.stateAt(this.env.now()) });
  }

  #exception(failure: PlaybackFailure, now: number, reason: TrackEndReason): void {
    const track = this.trackAt(now);
    if (!track) return;
    const exception = lavalinkException(failure.message, failure.severity, failure.cause);
    this.#event({ type: 'TrackExceptionEvent', track, exception });
    this.#end(reason, now);
  }

  #end(reason: TrackEndReason, now: number): void {
    const track = this.trackAt(now);
    if (!track) return;
    this.#track = null;
    this.#stuck = false;
    this.#disconnectedSince = null;
    this.#anchorPosition = 0;
    this.#anchorTime = now;
    this.#event({ type: 'TrackEndEvent', track, reason });
  }

  #event(event: DistributiveOmit<PlayerEventMessage, 'op' | 'guildId'>): void {
    this.send({ op: 'event', guildId: this.guildId, ...event } as PlayerEventMessage);
  }

  #advancing(): boolean {
    return this.#track !== null && this.connected && !this.#paused && !this.#stuck;
  }

  #reanchor(): void {
    const now = this.env.now();
    this.#anchorPosition = this.positionAt(now);
    this.#anchorTime = now;
  }

  /** Where playback stops on its own: the end marker or the track's length; undefined for streams. */
  #limit(track: CurrentTrack): number | undefined {
    if (track.info.isStream) return track.endTime ?? undefined;
    return track.endTime === null ? track.info.length : Math.min(track.endTime, track.info.length);
  }

  /** Playback speed: the timescale filter's `speed` times `rate`, 1 without one. */
  #rate(): number {
    const timescale = this.#filters.timescale as { speed?: unknown; rate?: unknown } | null | undefined;
    const speed = typeof timescale?.speed === 'number' && timescale.speed > 0 ? timescale.speed : 1;
    const rate = typeof timescale?.rate === 'number' && timescale.rate > 0 ? timescale.rate : 1;
    return speed * rate;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
