import type { MusicInstruments, PlayerState } from '../telemetry/MusicInstruments.js';
import { AttributeNames } from '../telemetry/TelemetryNames.js';
import { type FilterPresetName, filtersFor } from './FilterPresets.js';
import { type AdvanceReason, GuildQueue, type GuildQueueOptions } from './GuildQueue.js';
import { endStartsNext, type GuildPlayer, type PlayerEvent, type TrackEndReason } from './LavalinkGateway.js';
import { MusicError } from './MusicError.js';
import type { MusicLogger, MusicServiceEvents, NowPlaying, TrackErrorKind } from './MusicServiceApi.js';
import type { Track } from './Track.js';
import { metricSafe } from './TrackLoader.js';
import { TrackPlayback, TrackPlaybackError, type TrackStopReason } from './TrackPlayback.js';

/** What a session needs from the service that owns it. */
export interface SessionContext {
  readonly now: () => number;
  readonly instruments: MusicInstruments;
  readonly logger: MusicLogger;
  readonly queueOptions: GuildQueueOptions;
  /** Emits a service event; never throws. */
  announce<K extends keyof MusicServiceEvents>(event: K, ...args: MusicServiceEvents[K]): void;
  /** The session has nothing to play any more (queue ended, stopped, a start failed): the idle countdown may begin. */
  idle(session: GuildSession): void;
  /** A track is about to play: the idle countdown stops. */
  busy(session: GuildSession): void;
  /** The session's state changed on its own (a player event): persistence takes a new snapshot. */
  changed(session: GuildSession): void;
  /** A track stopped playing after `playedMs` of audio: one play for the history. */
  ended(session: GuildSession, play: EndedPlay): void;
}

/** A track that stopped playing, as the session reports it to its service. */
export interface EndedPlay {
  readonly track: Track;
  readonly startedAt: Date;
  readonly playedMs: number;
  readonly reason: TrackStopReason;
}

/**
 * One guild's playback while the bot is connected there: its queue, its player, and the lifecycle of each track
 * from Lavalink's events (the `track play` span, `metronome.track.events`, `metronome.playback.time`, moving on at
 * the end of a track). Commands change it through the music service; the player's events change it directly.
 */
export class GuildSession {
  queue: GuildQueue;
  /** Listeners in the bot's channel as last reported; `null` until the Discord layer says. */
  listeners: number | null = null;
  #player: GuildPlayer | null = null;
  #unsubscribe: () => void = () => undefined;
  /** The track between its TrackStart and its end, with its span. */
  #playback: TrackPlayback | null = null;
  /** Wall-clock time of the open playback's TrackStart, for the history. */
  #playbackStartedAt = new Date(0);
  /** A track the session already moved past; its late `end` event must not advance the queue again. */
  #staleEnd: string | null = null;
  /** Counts the tracks handed to the player, so a command that awaited the player knows whether its track is over. */
  #plays = 0;

  constructor(
    readonly guildId: string,
    private readonly context: SessionContext,
  ) {
    this.queue = new GuildQueue(guildId, context.queueOptions);
  }

  get player(): GuildPlayer | null {
    return this.#player;
  }

  /** What `metronome.player.count` reports for this session; `null` while it has no player. */
  get state(): PlayerState | null {
    if (!this.#player) return null;
    if (!this.queue.current) return 'idle';
    return this.queue.paused ? 'paused' : 'playing';
  }

  /** Where announcements go: the channel of the latest command, or `''` when that channel is gone. */
  get textChannelId(): string {
    return this.queue.textChannelId ?? '';
  }

  /** Takes the player the gateway joined with and follows its events. */
  attach(player: GuildPlayer): void {
    this.#player = player;
    this.#unsubscribe = player.onEvent((event) => this.#handle(event));
  }

  /** Stops following the player and ends the open span, for a session that is going away. */
  detach(reason: TrackStopReason): void {
    this.#unsubscribe();
    this.#finish(reason);
  }

  /** Plays the first waiting track if nothing is playing. */
  async startIfIdle(): Promise<void> {
    if (this.queue.current) return;
    const next = this.queue.advance();
    if (next) await this.#play(next);
  }

  /**
   * After a restart: plays the queue's current track from `positionMs` (from the start when it cannot be seeked),
   * paused if the queue was, with the queue's volume and filter; with no current track, the first waiting one. A
   * refusal of the player is thrown as it is and the queue is left alone: the caller discards the whole session.
   */
  async resumeCurrent(positionMs: number): Promise<void> {
    const track = this.queue.current;
    if (!track) return this.startIfIdle();
    const player = this.requirePlayer();
    this.context.busy(this);
    const seekable = track.isSeekable && !track.isStream;
    const startMs = seekable ? Math.max(0, Math.min(Math.floor(positionMs), track.lengthMs - 1)) : 0;
    this.#plays += 1;
    await player.play(track, {
      startMs,
      paused: this.queue.paused,
      volume: this.queue.volume,
      filters: filtersFor(this.queue.filter),
    });
  }

  /** Skips the current track (loop modes do not bring it back) and returns it. Throws `nothing.playing`. */
  async skip(): Promise<Track> {
    const skipped = this.#requireCurrent();
    const next = this.queue.skip();
    this.#finish('skipped');
    this.#staleEnd = skipped.encoded;
    if (next) {
      await this.#play(next);
    } else {
      try {
        await this.requirePlayer().stop();
      } finally {
        this.#queueEnded();
      }
    }
    return skipped;
  }

  /** Stops playback and drops the waiting tracks. Throws `nothing.playing` when there was nothing to stop. */
  async stop(): Promise<void> {
    const current = this.queue.current;
    if (!current && this.queue.size === 0) throw new MusicError('nothing.playing');
    this.queue.stop();
    this.#finish('stopped');
    try {
      if (current) {
        this.#staleEnd = current.encoded;
        await this.requirePlayer().stop();
      }
    } finally {
      // The queue is empty whether or not the player heard: the countdown must run either way.
      this.context.idle(this);
    }
  }

  /**
   * Pauses the current track. Should it end (or be skipped) before the player answers, the pause went with it: the
   * next track plays, as every new track does, and the queue says so.
   */
  async pause(): Promise<void> {
    const track = this.#requireCurrent();
    if (this.queue.paused) return;
    const play = this.#plays;
    await this.requirePlayer().pause();
    if (!this.#stillPlaying(track, play)) return;
    this.queue.setPaused(true);
    this.#playback?.pause(this.context.now());
  }

  async resume(): Promise<void> {
    const track = this.#requireCurrent();
    if (!this.queue.paused) return;
    const play = this.#plays;
    await this.requirePlayer().resume();
    if (!this.#stillPlaying(track, play)) return;
    this.queue.setPaused(false);
    this.#playback?.resume(this.context.now());
  }

  async seek(positionMs: number): Promise<void> {
    const target = this.queue.validateSeek(positionMs);
    await this.requirePlayer().seek(target);
  }

  /** Sets the volume; the queue keeps its old volume if the player refuses. */
  async setVolume(volume: number): Promise<void> {
    const previous = this.queue.volume;
    this.queue.setVolume(volume);
    try {
      await this.requirePlayer().setVolume(volume);
    } catch (error) {
      this.queue.setVolume(previous);
      throw error;
    }
  }

  /** Applies a filter preset; the queue keeps its old preset if the player refuses. */
  async setFilter(preset: FilterPresetName): Promise<void> {
    const previous = this.queue.filter;
    this.queue.setFilter(preset);
    try {
      await this.requirePlayer().setFilters(filtersFor(this.queue.filter));
    } catch (error) {
      this.queue.setFilter(previous);
      throw error;
    }
  }

  /** @throws {MusicError} `nothing.playing` */
  nowPlaying(): NowPlaying {
    const track = this.#requireCurrent();
    const player = this.requirePlayer();
    const { queue } = this;
    return {
      track,
      positionMs: player.position(),
      paused: queue.paused,
      loop: queue.loop,
      volume: queue.volume,
      filter: queue.filter,
      node: player.node,
      alwaysOn: queue.alwaysOn,
    };
  }

  requirePlayer(): GuildPlayer {
    // Only a session still joining has no player, and it has nothing to play yet.
    if (!this.#player) throw new MusicError('nothing.playing');
    return this.#player;
  }

  /** Starts `track` (already the queue's current track); if the player refuses, the queue is put back. */
  async #play(track: Track): Promise<void> {
    const player = this.requirePlayer();
    this.context.busy(this);
    this.#plays += 1;
    this.queue.setPaused(false);
    try {
      // Lavalink keeps a player's pause across tracks; a new track plays.
      await player.play(track, { volume: this.queue.volume, filters: filtersFor(this.queue.filter), paused: false });
    } catch (error) {
      this.#rewind(track);
      this.context.idle(this);
      throw error;
    }
  }

  /** Makes `track` the first waiting track again with nothing current, matching a player that stayed silent. */
  #rewind(track: Track): void {
    if (this.queue.current !== track) return;
    const snapshot = this.queue.snapshot();
    this.queue = GuildQueue.restore(
      { ...snapshot, current: null, positionMs: 0, paused: false, upcoming: [track, ...snapshot.upcoming] },
      this.context.queueOptions,
    );
  }

  #handle(event: PlayerEvent): void {
    this.context.instruments.trackEvents.add(1, {
      [AttributeNames.Event]: event.type,
      [AttributeNames.Reason]: event.type === 'end' ? event.reason : '',
    });
    try {
      switch (event.type) {
        case 'start':
          this.#started(event.encoded);
          break;
        case 'end':
          this.#ended(event.encoded, event.reason);
          break;
        case 'exception':
          this.#failed(event.encoded, 'exception', new TrackPlaybackError(event.message, event.severity));
          break;
        case 'stuck':
          this.#failed(event.encoded, 'stuck', new TrackPlaybackError(`no audio for ${event.thresholdMs} ms`, 'stuck'));
          break;
        case 'closed':
          // Discord closed the voice connection. A move reconnects with the next voice update; a disconnect (4014: a
          // moderator's kick) or a deleted channel reaches the service from the Discord layer, which ends the session.
          this.context.logger.warn(
            { guild_id: this.guildId, code: event.code, reason: event.reason, by_remote: event.byRemote },
            'voice connection closed',
          );
          return;
      }
    } catch (error) {
      this.context.logger.error({ err: error, guild_id: this.guildId, event: event.type }, 'player event failed');
    }
    // A track started, ended or failed: the queue (and the position) moved on.
    this.context.changed(this);
  }

  #started(encoded: string): void {
    this.#staleEnd = null;
    const track = this.queue.current;
    if (!track || track.encoded !== encoded) return;
    // The same track starting again without an end is a resume (failover, node reconnect): it keeps its span.
    if (this.#playback?.encoded === encoded) return;
    this.#finish('replaced');
    const now = this.context.now();
    this.#playback = TrackPlayback.start(track, { guildId: this.guildId, node: this.requirePlayer().node }, now);
    this.#playbackStartedAt = new Date();
    if (this.queue.paused) this.#playback.pause(now);
    this.context.busy(this);
    this.context.announce('trackStart', { guildId: this.guildId, textChannelId: this.textChannelId, track });
  }

  #ended(encoded: string, reason: TrackEndReason): void {
    if (this.#playback?.encoded === encoded) this.#finish(reason);
    if (this.#staleEnd === encoded) {
      this.#staleEnd = null;
      return;
    }
    if (!endStartsNext(reason) || this.queue.current?.encoded !== encoded) return;
    this.#advance(reason === 'finished' ? 'finished' : 'failed');
  }

  /** A track failed or got stuck: its span ends in error, the channel hears of it, and the queue moves on. */
  #failed(encoded: string, kind: TrackErrorKind, error: TrackPlaybackError): void {
    const track = this.queue.current;
    if (!track || track.encoded !== encoded) return;
    if (this.#playback?.encoded === encoded) this.#finish(kind, error);
    this.context.logger.warn(
      { guild_id: this.guildId, kind, err: error, source: track.sourceName, node: this.#player?.node },
      'track failed',
    );
    this.context.announce('trackError', { guildId: this.guildId, textChannelId: this.textChannelId, track, kind });
    // Lavalink still sends the failed track's end; it must not move the queue a second time.
    this.#staleEnd = encoded;
    this.#advance('failed');
  }

  /** Moves on after a track ended by itself: plays the next track, or announces the end of the queue. */
  #advance(reason: AdvanceReason): void {
    const next = this.queue.advance(reason);
    if (next) {
      this.#play(next).catch((error: unknown) =>
        this.context.logger.error({ err: error, guild_id: this.guildId }, 'could not start the next track'),
      );
      return;
    }
    // A stuck track is still playing as far as Lavalink knows.
    if (reason === 'failed') {
      this.requirePlayer()
        .stop()
        .catch((error: unknown) =>
          this.context.logger.warn({ err: error, guild_id: this.guildId }, 'could not stop a failed track'),
        );
    }
    this.#queueEnded();
  }

  #queueEnded(): void {
    this.context.announce('queueEnd', { guildId: this.guildId, textChannelId: this.textChannelId });
    this.context.idle(this);
  }

  /** Ends the open `track play` span, if any, and counts the time played. */
  #finish(reason: TrackStopReason, error?: TrackPlaybackError): void {
    const playback = this.#playback;
    if (!playback) return;
    this.#playback = null;
    const seconds = playback.end(this.context.now(), reason, error);
    this.context.instruments.playbackTime.add(seconds, {
      [AttributeNames.Source]: metricSafe(playback.track.sourceName),
    });
    this.context.ended(this, {
      track: playback.track,
      startedAt: this.#playbackStartedAt,
      playedMs: Math.round(seconds * 1000),
      reason,
    });
  }

  /**
   * Whether `track`, current when a command began, is still the one playing after the command awaited the player: the
   * track may have ended, been skipped or stopped meanwhile. A looping track played again is a new play.
   */
  #stillPlaying(track: Track, play: number): boolean {
    return this.queue.current === track && this.#plays === play;
  }

  #requireCurrent(): Track {
    if (!this.queue.current) throw new MusicError('nothing.playing');
    return this.queue.current;
  }
}
