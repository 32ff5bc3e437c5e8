import { type FilterPresetName, isFilterPresetName } from './FilterPresets.js';
import { type GuildQueueSnapshot, type LoopMode, LoopModes, MaxVolume, SnapshotVersion } from './GuildQueueSnapshot.js';
import { MusicError } from './MusicError.js';
import {
  type AdditionOptions,
  type AdditionPlan,
  DefaultMusicLimits,
  type MusicLimits,
  planAddition,
} from './MusicLimits.js';
import { createTrack, formatDuration, type Track, totalLengthMs } from './Track.js';

/** How a queue is built; everything has a default. */
export interface GuildQueueOptions {
  readonly limits?: MusicLimits;
  /** Most tracks kept in the history; the oldest go first. */
  readonly maxHistory?: number;
  /** Source of randomness for shuffle, in [0, 1); tests pass a deterministic one. */
  readonly random?: () => number;
}

/** Why the current track is being left behind; decides whether loop modes apply. */
export type AdvanceReason = 'finished' | 'skipped' | 'failed';

/** What an addition did. `trimmed` tracks were dropped at the queue limit: count them as `queue_trim`. */
export interface AddResult extends AdditionPlan<Track> {
  /** Index in `upcoming` of the first added track. */
  readonly position: number;
}

/** Default history bound: enough for "recently played" and `previous`, small enough to persist with every change. */
export const DefaultMaxHistory = 50;

/**
 * One guild's queue and player settings, as pure state: no I/O, no timers, no Lavalink. The music service applies
 * each change to the player; persistence stores {@link GuildQueue.snapshot}. Indexes are 0-based positions in
 * `upcoming`; the errors carry 1-based `position`s, which is what users see.
 */
export class GuildQueue {
  #current: Track | null = null;
  #upcoming: Track[] = [];
  #history: Track[] = [];
  #loop: LoopMode = 'off';
  #volume = 100;
  #filter: FilterPresetName = 'off';
  #paused = false;
  #alwaysOn = false;
  #voiceChannelId: string | null = null;
  #textChannelId: string | null = null;
  readonly #limits: MusicLimits;
  readonly #maxHistory: number;
  readonly #random: () => number;

  constructor(
    readonly guildId: string,
    options: GuildQueueOptions = {},
  ) {
    this.#limits = options.limits ?? DefaultMusicLimits;
    this.#maxHistory = Math.max(0, options.maxHistory ?? DefaultMaxHistory);
    this.#random = options.random ?? Math.random;
  }

  /**
   * Rebuilds a queue from a snapshot (see `parseGuildQueueSnapshot` for stored data). A queue longer than today's
   * limits is kept as it is, never silently cut; the limits apply again to the next addition.
   */
  static restore(snapshot: GuildQueueSnapshot, options: GuildQueueOptions = {}): GuildQueue {
    const queue = new GuildQueue(snapshot.guildId, options);
    queue.#current = snapshot.current ? refreeze(snapshot.current) : null;
    queue.#upcoming = snapshot.upcoming.map(refreeze);
    queue.#history = snapshot.history.slice(Math.max(0, snapshot.history.length - queue.#maxHistory)).map(refreeze);
    queue.setLoop(snapshot.loop);
    queue.setVolume(snapshot.volume);
    queue.setFilter(snapshot.filter);
    queue.setPaused(snapshot.paused);
    queue.setAlwaysOn(snapshot.alwaysOn);
    queue.setVoiceChannel(snapshot.voiceChannelId);
    queue.setTextChannel(snapshot.textChannelId);
    return queue;
  }

  get current(): Track | null {
    return this.#current;
  }
  /** Tracks waiting, next first (a copy). */
  get upcoming(): readonly Track[] {
    return [...this.#upcoming];
  }
  /** Tracks played, oldest first (a copy). */
  get history(): readonly Track[] {
    return [...this.#history];
  }
  /** Number of tracks waiting. */
  get size(): number {
    return this.#upcoming.length;
  }
  get limits(): MusicLimits {
    return this.#limits;
  }
  get loop(): LoopMode {
    return this.#loop;
  }
  get volume(): number {
    return this.#volume;
  }
  get filter(): FilterPresetName {
    return this.#filter;
  }
  get paused(): boolean {
    return this.#paused;
  }
  get alwaysOn(): boolean {
    return this.#alwaysOn;
  }
  get voiceChannelId(): string | null {
    return this.#voiceChannelId;
  }
  get textChannelId(): string | null {
    return this.#textChannelId;
  }
  /** Total length of the waiting tracks in milliseconds (streams count as zero). */
  get upcomingLengthMs(): number {
    return totalLengthMs(this.#upcoming);
  }

  /** Tracks waiting that `memberId` queued. */
  waitingFor(memberId: string): number {
    return this.#upcoming.reduce((count, track) => count + (track.requester.id === memberId ? 1 : 0), 0);
  }

  /** Queues one track; throws the {@link MusicError} of the limit it breaks. */
  add(track: Track): AddResult {
    return this.addMany([track]);
  }

  /**
   * Queues tracks of one member (the requester of the first) as far as the limits allow; see `planAddition` for the
   * order in which limits apply. Throws when nothing fits.
   */
  addMany(tracks: readonly Track[], options: AdditionOptions = {}): AddResult {
    const memberId = tracks[0]?.requester.id ?? '';
    const plan = planAddition(
      tracks,
      { waiting: this.#upcoming.length, waitingByMember: this.waitingFor(memberId) },
      this.#limits,
      options,
    );
    const position = this.#upcoming.length;
    this.#upcoming.push(...plan.accepted);
    return { ...plan, position };
  }

  /**
   * Moves on after the current track ended and returns the track to play, or null when the queue has run out. With
   * nothing playing it simply takes the first waiting track. Loop modes apply only to tracks that `finished`: a
   * skipped track is not repeated, and a failed one is neither repeated nor requeued, which would loop on an error.
   */
  advance(reason: AdvanceReason = 'finished'): Track | null {
    const ended = this.#current;
    if (ended && reason === 'finished' && this.#loop === 'track') return ended;
    if (ended) {
      this.#remember(ended);
      if (this.#loop === 'queue' && reason !== 'failed') this.#upcoming.push(ended);
    }
    this.#current = this.#upcoming.shift() ?? null;
    return this.#current;
  }

  /** The current track finished on its own: {@link advance} with `finished`. */
  next(): Track | null {
    return this.advance('finished');
  }

  /** A member skipped the current track; returns the next one or null. Throws `nothing.playing`. */
  skip(): Track | null {
    this.#requireCurrent();
    return this.advance('skipped');
  }

  /**
   * Goes back one track and returns it; the current track becomes the next one. In `queue` loop the previous track
   * was also requeued at the end, so it is taken out from there rather than duplicated. Throws `history.empty`.
   */
  previous(): Track {
    const previous = this.#history.pop();
    if (!previous) throw new MusicError('history.empty');
    if (this.#loop === 'queue') {
      // Compared by content, not identity: after a restore the history and the queue hold separate copies.
      const requeued = this.#upcoming.findLastIndex(
        (track) => track.encoded === previous.encoded && track.requester.id === previous.requester.id,
      );
      if (requeued >= 0) this.#upcoming.splice(requeued, 1);
    }
    if (this.#current) this.#upcoming.unshift(this.#current);
    this.#current = previous;
    return previous;
  }

  /** Removes and returns the waiting track at `index`. */
  remove(index: number): Track {
    this.#requireIndex(index);
    const [removed] = this.#upcoming.splice(index, 1);
    return removed!;
  }

  /** Moves the waiting track at `from` to `to` (both before the move) and returns it. */
  move(from: number, to: number): Track {
    this.#requireIndex(from);
    this.#requireIndex(to);
    const [moved] = this.#upcoming.splice(from, 1);
    this.#upcoming.splice(to, 0, moved!);
    return moved!;
  }

  /** Empties the waiting tracks (the current one keeps playing); returns how many were removed. */
  clear(): number {
    const removed = this.#upcoming.length;
    this.#upcoming = [];
    return removed;
  }

  /** Stops playback: the current track goes to the history and the waiting tracks are dropped. Returns their count. */
  stop(): number {
    if (this.#current) this.#remember(this.#current);
    this.#current = null;
    this.#paused = false;
    return this.clear();
  }

  /** Shuffles the waiting tracks in place (Fisher-Yates: every order equally likely). Throws `queue.empty`. */
  shuffle(): void {
    if (this.#upcoming.length === 0) throw new MusicError('queue.empty');
    for (let i = this.#upcoming.length - 1; i > 0; i--) {
      // `random()` may return a value rounding to 1 in a bad implementation; never index past i.
      const j = Math.min(i, Math.floor(this.#random() * (i + 1)));
      [this.#upcoming[i], this.#upcoming[j]] = [this.#upcoming[j]!, this.#upcoming[i]!];
    }
  }

  /**
   * Checks a seek target against the current track and returns it as a whole number of milliseconds. Throws
   * `nothing.playing`, `track.not_seekable` or `seek.out_of_range`.
   */
  validateSeek(positionMs: number): number {
    const track = this.#requireCurrent();
    if (!track.isSeekable || track.isStream) throw new MusicError('track.not_seekable');
    const target = Math.floor(positionMs);
    if (!Number.isFinite(target) || target < 0 || target >= track.lengthMs) {
      throw new MusicError('seek.out_of_range', { length: formatDuration(track.lengthMs), lengthMs: track.lengthMs });
    }
    return target;
  }

  setLoop(mode: LoopMode): void {
    // Values arrive from stored snapshots and option strings: check at run time, not only in the type.
    if (!(LoopModes as readonly string[]).includes(mode)) throw new RangeError(`unknown loop mode ${String(mode)}`);
    this.#loop = mode;
  }

  /** Sets the volume, a whole number from 0 to {@link MaxVolume}; throws `volume.out_of_range`. */
  setVolume(volume: number): void {
    if (!Number.isInteger(volume) || volume < 0 || volume > MaxVolume) {
      throw new MusicError('volume.out_of_range', { max: MaxVolume });
    }
    this.#volume = volume;
  }

  /** Selects a filter preset by name; throws `filter.unknown`. */
  setFilter(name: string): void {
    if (!isFilterPresetName(name)) throw new MusicError('filter.unknown');
    this.#filter = name;
  }

  setPaused(paused: boolean): void {
    this.#paused = paused;
  }

  setAlwaysOn(alwaysOn: boolean): void {
    this.#alwaysOn = alwaysOn;
  }

  setVoiceChannel(channelId: string | null): void {
    this.#voiceChannelId = channelId;
  }

  setTextChannel(channelId: string | null): void {
    this.#textChannelId = channelId;
  }

  /** The full state as plain JSON; pass the player's position so a restore resumes where playback was. */
  snapshot(positionMs = 0): GuildQueueSnapshot {
    return {
      version: SnapshotVersion,
      guildId: this.guildId,
      current: this.#current,
      positionMs: this.#current ? Math.max(0, Math.floor(positionMs)) : 0,
      upcoming: [...this.#upcoming],
      history: [...this.#history],
      loop: this.#loop,
      volume: this.#volume,
      filter: this.#filter,
      paused: this.#paused,
      alwaysOn: this.#alwaysOn,
      voiceChannelId: this.#voiceChannelId,
      textChannelId: this.#textChannelId,
    };
  }

  #remember(track: Track): void {
    this.#history.push(track);
    if (this.#history.length > this.#maxHistory) this.#history.splice(0, this.#history.length - this.#maxHistory);
  }

  #requireCurrent(): Track {
    if (!this.#current) throw new MusicError('nothing.playing');
    return this.#current;
  }

  #requireIndex(index: number): void {
    if (this.#upcoming.length === 0) throw new MusicError('queue.empty');
    if (!Number.isInteger(index) || index < 0 || index >= this.#upcoming.length) {
      const position = Number.isFinite(index) ? Math.trunc(index) + 1 : 0;
      throw new MusicError('queue.index_out_of_range', { position, length: this.#upcoming.length });
    }
  }
}

/** Tracks from a parsed snapshot are fresh mutable objects; the queue shares only frozen ones. */
function refreeze(track: Track): Track {
  return createTrack(track, track.requester, track.origin);
}
