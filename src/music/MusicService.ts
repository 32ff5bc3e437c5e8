import { EventEmitter } from 'node:events';
import type { MusicGaugeReading, MusicInstruments, PlayerState } from '../telemetry/MusicInstruments.js';
import { AttributeNames } from '../telemetry/TelemetryNames.js';
import { type AutocompleteChoice, MaxChoices, suggestTracks } from './AutocompleteChoices.js';
import type { FilterPresetName } from './FilterPresets.js';
import { GuildQueue, type GuildQueueOptions } from './GuildQueue.js';
import { type GuildQueueSnapshot, type LoopMode, MaxVolume } from './GuildQueueSnapshot.js';
import { GuildSession, type SessionContext } from './GuildSession.js';
import type { HostAllowList } from './HostAllowList.js';
import { type IdleKind, IdleTimers } from './IdleTimers.js';
import type { GuildPlayer, LavalinkGateway } from './LavalinkGateway.js';
import { MusicError, type MusicErrorIdentifier } from './MusicError.js';
import { type AdditionPlan, type MusicLimits, planAddition } from './MusicLimits.js';
import type {
  DisconnectReason,
  MusicLogger,
  MusicServiceEvents,
  NowPlaying,
  PlayOutcome,
  PlayRequest,
  QueuePage,
} from './MusicServiceApi.js';
import { type HostResolver, type QueryGuardOptions, validateQuery } from './QueryGuard.js';
import { pageOf } from './QueuePaging.js';
import { createTrack, type LoadedTrack, type Track } from './Track.js';
import { TrackLoader } from './TrackLoader.js';

export type * from './MusicServiceApi.js';

/** Everything the service is built from; the composition root maps config onto it. */
export interface MusicServiceOptions {
  /** `null` when no Lavalink node is configured: the service is then disabled. */
  readonly gateway: LavalinkGateway | null;
  readonly limits: MusicLimits;
  readonly allowList: HostAllowList;
  /** Lavalink search prefix (`ytsearch`); names the source of searches in the load metric. */
  readonly searchPrefix: string;
  readonly maxQueryLength: number;
  /** Leave after this long with nothing playing (unless 24/7). */
  readonly idleTimeoutMs: number;
  /** Leave after this long with no listener in the channel (unless 24/7). */
  readonly aloneTimeoutMs: number;
  /** Volume of a new queue, 0-200. */
  readonly defaultVolume: number;
  readonly instruments: MusicInstruments;
  readonly logger: MusicLogger;
  /** Host resolver for the query guard; the system resolver by default. */
  readonly resolve?: HostResolver;
  /** Monotonic clock in milliseconds for load durations and playback time; `performance.now` by default. */
  readonly now?: () => number;
  /** Randomness for `/shuffle`, in [0, 1). */
  readonly random?: () => number;
  /**
   * The guild's own defaults for a new session (its settings), asked before the bot joins. Must not throw and should
   * answer quickly: a `/play` waits for it. Absent, or a field null: the configured default.
   */
  readonly guildDefaults?: (guildId: string) => Promise<GuildDefaults>;
}

/** A guild's overrides for a new session; null takes the configured default. */
export interface GuildDefaults {
  /** Volume of a new queue, 0-200. */
  readonly volume: number | null;
  /** A voice channel where 24/7 is on from the moment the bot joins it. */
  readonly alwaysOnChannelId: string | null;
}

/** What {@link MusicService.restore} did: `skipped` when the guild already had a session (someone used /play first). */
export type RestoreOutcome = 'restored' | 'skipped';

/** Where a restored session joins: the gateway shard of the guild. */
export interface RestorePlace {
  readonly shardId: number;
}

/** Where a session joins. */
type JoinPlace = Pick<PlayRequest, 'guildId' | 'voiceChannelId' | 'shardId'>;

/** A guild's volume override when it is one a queue accepts; settings are checked on write, but never trusted. */
function validVolume(volume: number | null | undefined): number | undefined {
  return typeof volume === 'number' && Number.isInteger(volume) && volume >= 0 && volume <= MaxVolume
    ? volume
    : undefined;
}

/** Results `/search` offers at most (a select menu holds 25). */
const MaxSearchResults = MaxChoices;

/** Why the bot leaves on its own: the `outcome` of the `idle_disconnect` automation action. */
type AutomaticLeave = 'idle' | 'alone' | 'channel_gone' | 'guild_gone';

/** The `outcome` of `queue_trim` for each limit that refused an addition outright. */
const LimitOutcomes: Partial<Record<MusicErrorIdentifier, string>> = {
  'queue.full': 'queue_full',
  'track.too_long': 'too_long',
  'member.share_exceeded': 'over_share',
  'playlist.too_large': 'playlist_too_large',
};

/**
 * The music service the Discord commands call: queues per guild, the players on Lavalink, the automation around
 * them (idle and alone disconnects, limits, cleanup) and the telemetry of playback. Refusals are
 * {@link MusicError}s; infrastructure failures (Lavalink down, DNS broken) propagate as they are.
 */
export class MusicService extends EventEmitter<MusicServiceEvents> implements AsyncDisposable {
  readonly #options: MusicServiceOptions;
  readonly #log: MusicLogger;
  readonly #loader: TrackLoader | null;
  readonly #timers: IdleTimers;
  readonly #sessions = new Map<string, GuildSession>();
  readonly #joining = new Map<GuildSession, Promise<GuildPlayer>>();
  readonly #context: SessionContext;
  readonly #queryOptions: QueryGuardOptions;
  readonly #stopObserving: () => void;
  #closed = false;

  constructor(options: MusicServiceOptions) {
    super();
    this.#options = options;
    this.#log = options.logger;
    const now = options.now ?? (() => performance.now());
    const queueOptions: GuildQueueOptions = {
      limits: options.limits,
      ...(options.random && { random: options.random }),
    };
    this.#loader = options.gateway
      ? new TrackLoader({ ...options, gateway: options.gateway, now, logger: options.logger })
      : null;
    this.#timers = new IdleTimers((guildId, kind) => this.#expired(guildId, kind));
    this.#context = {
      now,
      instruments: options.instruments,
      logger: options.logger,
      queueOptions,
      announce: (event, ...args) => this.#announce(event, ...args),
      // A session forgotten while its player call was in flight must not touch the countdowns of its successor,
      // and nothing starts a countdown after close.
      idle: (session) => {
        if (!this.#closed && this.#isCurrent(session)) this.#idleIfUnattended(session);
      },
      busy: (session) => {
        if (this.#isCurrent(session)) this.#timers.cancel(session.guildId, 'idle');
      },
      changed: (session) => {
        if (this.#isCurrent(session)) this.#changed(session.guildId);
      },
      ended: (session, play) =>
        this.#announce('trackEnded', {
          guildId: session.guildId,
          track: play.track,
          startedAt: play.startedAt,
          endedAt: new Date(),
          playedMs: play.playedMs,
          reason: play.reason,
        }),
    };
    this.#queryOptions = {
      maxLength: options.maxQueryLength,
      allow: options.allowList,
      ...(options.resolve && { resolve: options.resolve }),
    };
    this.#stopObserving = options.instruments.observe(() => this.#reading());
  }

  /** False when no Lavalink node is configured; every command then throws `music.not_configured`. */
  get enabled(): boolean {
    return this.#options.gateway !== null;
  }

  /**
   * `/play`: checks and loads the query, queues what the limits allow (a search queues its best match), joins the
   * member's voice channel if the bot is not connected, and starts playing if nothing was.
   */
  async play(request: PlayRequest): Promise<PlayOutcome> {
    const loader = this.#requireLoader();
    const loaded = await loader.load(await validateQuery(request.query, this.#queryOptions));
    if (loaded.kind === 'playlist') return this.#add(request, loaded.tracks, loaded.playlistName);
    return this.#add(request, loaded.kind === 'search' ? loaded.tracks.slice(0, 1) : loaded.tracks);
  }

  /** `/search`: up to `limit` (at most 25) tracks for the query, to pick from. */
  async search(query: string, limit = 10): Promise<readonly LoadedTrack[]> {
    const loader = this.#requireLoader();
    const loaded = await loader.load(await validateQuery(query, this.#queryOptions));
    return loaded.tracks.slice(0, Math.min(MaxSearchResults, Math.max(1, Math.floor(limit) || 1)));
  }

  /**
   * Suggestions for `/play` as the member types. Never throws: a failed or slow search suggests nothing. Links and
   * input under two characters are answered at once, without asking Lavalink (or DNS).
   */
  async autocomplete(query: string): Promise<readonly AutocompleteChoice[]> {
    if (!this.#loader) return [];
    return suggestTracks(query, { loader: this.#loader, queryOptions: this.#queryOptions, logger: this.#log });
  }

  /** The `/search` pick: queues one track already loaded, as `/play` would. */
  async enqueue(request: PlayRequest, track: LoadedTrack): Promise<PlayOutcome> {
    this.#requireLoader();
    return this.#add(request, [track]);
  }

  async pause(guildId: string): Promise<void> {
    await this.#change(guildId, 'nothing.playing', (session) => session.pause());
  }

  async resume(guildId: string): Promise<void> {
    await this.#change(guildId, 'nothing.playing', (session) => session.resume());
  }

  /** Skips the current track (loop modes do not bring it back) and returns it. */
  async skip(guildId: string): Promise<Track> {
    return this.#change(guildId, 'nothing.playing', (session) => session.skip());
  }

  /** Stops playback and empties the queue; the bot stays connected until the idle timeout. */
  async stop(guildId: string): Promise<void> {
    await this.#change(guildId, 'nothing.playing', (session) => session.stop());
  }

  /** Leaves the voice channel: destroys the player and forgets the queue. */
  async leave(guildId: string): Promise<void> {
    const gateway = this.#requireGateway();
    const session = this.#sessions.get(guildId);
    if (session) return this.#disconnect(session, 'left');
    // A player the service never knew (the adapter kept it across a restart) is still the bot in a channel.
    const orphan = gateway.player(guildId);
    if (!orphan) throw new MusicError('nothing.playing');
    await orphan.destroy();
  }

  /**
   * The Lavalink layer lost the guild's player (no healthy node to move it to): forget the session and tell the
   * channel. The failover counter already recorded the failed move, so this is not counted again.
   */
  async nodeLost(guildId: string): Promise<void> {
    const session = this.#sessions.get(guildId);
    if (!session) return;
    try {
      await this.#disconnect(session, 'node_lost');
    } catch (error) {
      this.#log.warn({ err: error, guild_id: guildId }, 'could not clean up after losing the node');
    }
  }

  async seek(guildId: string, positionMs: number): Promise<void> {
    await this.#change(guildId, 'nothing.playing', (session) => session.seek(positionMs));
  }

  async setVolume(guildId: string, volume: number): Promise<void> {
    await this.#change(guildId, 'nothing.playing', (session) => session.setVolume(volume));
  }

  setLoop(guildId: string, mode: LoopMode): void {
    this.#change(guildId, 'nothing.playing', (session) => session.queue.setLoop(mode));
  }

  /** Shuffles the waiting tracks; returns how many there are. */
  shuffle(guildId: string): number {
    return this.#change(guildId, 'queue.empty', ({ queue }) => {
      queue.shuffle();
      return queue.size;
    });
  }

  /** Removes the waiting track at 1-based `position` and returns it. */
  remove(guildId: string, position: number): Track {
    return this.#change(guildId, 'queue.empty', ({ queue }) => queue.remove(position - 1));
  }

  /** Moves the waiting track at 1-based `from` to 1-based `to` and returns it. */
  move(guildId: string, from: number, to: number): Track {
    return this.#change(guildId, 'queue.empty', ({ queue }) => queue.move(from - 1, to - 1));
  }

  /** Empties the waiting tracks (the current one plays on); returns how many were removed. */
  clear(guildId: string): number {
    return this.#change(guildId, 'queue.empty', ({ queue }) => {
      if (queue.size === 0) throw new MusicError('queue.empty');
      return queue.clear();
    });
  }

  async setFilter(guildId: string, preset: FilterPresetName): Promise<void> {
    await this.#change(guildId, 'nothing.playing', (session) => session.setFilter(preset));
  }

  /** `/247`: on, the bot never leaves for being idle or alone; off, the countdowns apply again from now. */
  setAlwaysOn(guildId: string, on: boolean): void {
    this.#change(guildId, 'nothing.playing', (session) => {
      session.queue.setAlwaysOn(on);
      if (on) {
        this.#timers.cancel(guildId);
      } else {
        this.#idleIfUnattended(session);
        this.#aloneIfUnattended(session);
      }
    });
  }

  /** @throws {MusicError} `nothing.playing` */
  nowPlaying(guildId: string): NowPlaying {
    return this.#requireSession(guildId, 'nothing.playing').nowPlaying();
  }

  /** Page `page` (1-based, clamped) of the waiting tracks; an empty first page when nothing is queued. */
  queuePage(guildId: string, page: number, pageSize?: number): QueuePage {
    this.#requireGateway();
    return pageOf(this.#sessions.get(guildId)?.queue, page, pageSize);
  }

  /** The voice channel the bot plays in for the guild, for the "share the bot's channel" check. */
  voiceChannelOf(guildId: string): string | undefined {
    const session = this.#sessions.get(guildId);
    return (session?.player && session.queue.voiceChannelId) || undefined;
  }

  /** The Discord layer reports the listeners (humans) in a voice channel; none starts the alone countdown. */
  membersChanged(guildId: string, voiceChannelId: string, listeners: number): void {
    const session = this.#sessions.get(guildId);
    if (!session || session.queue.voiceChannelId !== voiceChannelId) return;
    session.listeners = listeners;
    if (listeners > 0) this.#timers.cancel(guildId, 'alone');
    else this.#aloneIfUnattended(session);
  }

  /**
   * The Discord layer reports the bot's own voice channel: another one when someone moved the bot, null when someone
   * disconnected it. A move is followed: the queue plays on there, and its members control the music. A disconnect
   * ends the session as `/leave` does: the player is destroyed and the queue forgotten, with its snapshot. The
   * service's own joins and leaves come back here too, and change nothing.
   */
  async botVoiceChanged(guildId: string, voiceChannelId: string | null): Promise<void> {
    const session = this.#sessions.get(guildId);
    // A session still joining learns its channel from the join; one that left is already forgotten.
    if (!session?.player || session.queue.voiceChannelId === voiceChannelId) return;
    const from = session.queue.voiceChannelId;
    // Logged once, by the disconnect ('left the voice channel', reason `disconnected`).
    if (voiceChannelId === null) return this.#disconnectQuietly(session, 'disconnected');
    session.queue.setVoiceChannel(voiceChannelId);
    this.#log.info({ guild_id: guildId, from, voice_channel_id: voiceChannelId }, 'moved to another voice channel');
    this.#changed(guildId);
  }

  /** The bot left the guild or the guild was deleted: no zombie player stays behind. */
  async guildGone(guildId: string): Promise<void> {
    const session = this.#sessions.get(guildId);
    if (session) return this.#leaveAutomatically(session, 'guild_gone');
    const orphan = this.#options.gateway?.player(guildId);
    if (!orphan) return;
    this.#countAutomation('idle_disconnect', 'guild_gone');
    await orphan
      .destroy()
      .catch((error: unknown) => this.#log.warn({ err: error, guild_id: guildId }, 'could not destroy a player'));
  }

  /** A channel was deleted: the bot leaves if it played there, and stops announcing if it announced there. */
  async channelGone(guildId: string, channelId: string): Promise<void> {
    const session = this.#sessions.get(guildId);
    if (!session) return;
    if (session.queue.textChannelId === channelId) {
      session.queue.setTextChannel(null);
      this.#changed(guildId);
    }
    if (session.queue.voiceChannelId === channelId) await this.#leaveAutomatically(session, 'channel_gone');
  }

  /** Every guild's state, with the current playback positions, for persistence. */
  snapshots(): GuildQueueSnapshot[] {
    return [...this.#sessions.values()].map((s) => s.queue.snapshot(s.player?.position() ?? 0));
  }

  /**
   * The guild's state with the current playback position, for persistence; undefined while the bot has no player
   * there (not connected, or still joining).
   */
  snapshotOf(guildId: string): GuildQueueSnapshot | undefined {
    const session = this.#sessions.get(guildId);
    if (!session?.player) return undefined;
    return session.queue.snapshot(session.player.position());
  }

  /** Guilds where a track is playing (not paused): their positions move, so persistence saves them now and then. */
  playingGuilds(): string[] {
    return [...this.#sessions.values()].filter((s) => s.state === 'playing').map((s) => s.guildId);
  }

  /**
   * Puts a guild's player back as `snapshot` describes it, after a restart: joins its voice channel, rebuilds the
   * queue (history, loop, volume, filter, 24/7, text channel) and plays the current track from the saved position,
   * paused if it was. `skipped` when the guild already has a session (a member used /play first): that one wins.
   * On failure (the join or the track refused) nothing is left behind: the player is destroyed, the session
   * forgotten, and the error thrown; the caller reports it.
   */
  async restore(snapshot: GuildQueueSnapshot, place: RestorePlace): Promise<RestoreOutcome> {
    this.#requireGateway();
    const { guildId, voiceChannelId } = snapshot;
    if (this.#closed) throw new MusicError('nothing.playing');
    if (voiceChannelId === null) throw new TypeError('the snapshot has no voice channel');
    if (this.#sessions.has(guildId)) return 'skipped';
    const session = new GuildSession(guildId, this.#context);
    session.queue = GuildQueue.restore(snapshot, this.#context.queueOptions);
    this.#sessions.set(guildId, session);
    try {
      await this.#connect(session, { guildId, voiceChannelId, shardId: place.shardId });
      await session.resumeCurrent(snapshot.positionMs);
    } catch (error) {
      if (this.#isCurrent(session)) this.#sessions.delete(guildId);
      this.#timers.cancel(guildId);
      session.detach('cleanup');
      await session.player
        ?.destroy()
        .catch((cause: unknown) => this.#log.warn({ err: cause, guild_id: guildId }, 'could not destroy a player'));
      throw error;
    }
    this.#log.info(
      {
        guild_id: guildId,
        voice_channel_id: voiceChannelId,
        position_ms: snapshot.positionMs,
        queued: session.queue.size,
      },
      'restored a player',
    );
    this.#changed(guildId);
    return 'restored';
  }

  /**
   * Stops the countdowns, the gauges and the event handling, and ends open `track play` spans. Players are left as
   * they are: Lavalink keeps them, so a restart resumes them. Queues stay readable for {@link snapshots}.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timers.clear();
    this.#stopObserving();
    for (const session of this.#sessions.values()) session.detach('shutdown');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #add(request: PlayRequest, loaded: readonly LoadedTrack[], playlistName?: string): Promise<PlayOutcome> {
    const tracks = loaded.map((t) => createTrack(t, request.member, request.origin));
    const options = { playlist: playlistName !== undefined };
    const known = this.#sessions.get(request.guildId)?.queue;
    // Asked only for a guild without a session: an existing queue keeps its volume and 24/7.
    const defaults = known ? undefined : await this.#options.guildDefaults?.(request.guildId);
    // Limits first: a refused addition must not pull the bot into a voice channel.
    this.#applyLimits(() =>
      planAddition(
        tracks,
        { waiting: known?.size ?? 0, waitingByMember: known?.waitingFor(request.member.id) ?? 0 },
        this.#options.limits,
        options,
      ),
    );
    const session = await this.#connect(this.#sessionFor(request.guildId, request.voiceChannelId, defaults), request);
    // Two members in different channels can both pass the channel rule while the bot is not connected yet: the first
    // join decides, and the other's tracks must not be queued in a channel they are not in.
    if (session.queue.voiceChannelId !== request.voiceChannelId) throw new MusicError('voice.different_channel');
    const plan = this.#applyLimits(() => session.queue.addMany(tracks, options));
    if (plan.trimmed > 0) this.#countAutomation('queue_trim', 'trimmed');
    if (plan.tooLong > 0) this.#countAutomation('queue_trim', 'too_long');
    if (plan.overShare > 0) this.#countAutomation('queue_trim', 'over_share');
    session.queue.setTextChannel(request.textChannelId);
    try {
      await session.startIfIdle();
    } finally {
      this.#changed(request.guildId);
    }
    const first = plan.accepted[0];
    const started = first !== undefined && session.queue.current === first;
    return {
      started,
      tracks: plan.accepted,
      ...(playlistName !== undefined && { playlistName }),
      position: started || !first ? 0 : session.queue.upcoming.indexOf(first) + 1,
      trimmed: plan.trimmed,
      skippedTooLong: plan.tooLong,
      skippedOverShare: plan.overShare,
    };
  }

  /** The guild's session, created with the guild's defaults when there is none. */
  #sessionFor(guildId: string, voiceChannelId: string, defaults: GuildDefaults | undefined): GuildSession {
    let session = this.#sessions.get(guildId);
    if (!session) {
      session = new GuildSession(guildId, this.#context);
      session.queue.setVolume(validVolume(defaults?.volume) ?? this.#options.defaultVolume);
      if (defaults?.alwaysOnChannelId && defaults.alwaysOnChannelId === voiceChannelId) session.queue.setAlwaysOn(true);
      this.#sessions.set(guildId, session);
    }
    return session;
  }

  /** `session`, connected to the voice channel of `place` unless it already was connected. */
  async #connect(session: GuildSession, place: JoinPlace): Promise<GuildSession> {
    if (session.player) return session;
    // Commands racing to connect share one join.
    let joining = this.#joining.get(session);
    if (!joining) {
      joining = this.#join(session, place).finally(() => this.#joining.delete(session));
      this.#joining.set(session, joining);
    }
    await joining;
    return session;
  }

  async #join(session: GuildSession, request: JoinPlace): Promise<GuildPlayer> {
    const attempt = (outcome: string) =>
      this.#options.instruments.voiceConnectionAttempts.add(1, { [AttributeNames.Outcome]: outcome });
    const gateway = this.#requireGateway();
    const join = () =>
      gateway.join({
        guildId: request.guildId,
        voiceChannelId: request.voiceChannelId,
        shardId: request.shardId,
        deaf: true,
      });
    let player: GuildPlayer;
    try {
      player = await join();
      // A player destroyed while this join waited for it (by a forgotten session's join, or with its node) is dead:
      // attaching it would fail every later command. The gateway no longer holds it, so a second join makes a new one.
      if (gateway.player(request.guildId) !== player) player = await join();
    } catch (error) {
      attempt('error');
      const { queue } = session;
      if (!queue.current && queue.size === 0 && this.#isCurrent(session)) {
        this.#sessions.delete(session.guildId);
      }
      throw error;
    }
    attempt('success');
    if (!this.#isCurrent(session)) {
      // `/leave` (or a cleanup) ran while the join was in flight: the new player must not outlive it, unless a newer
      // session is joining, which shares the gateway's join and takes this very player.
      if (!this.#successorJoining(session)) await player.destroy();
      throw new MusicError('nothing.playing');
    }
    session.attach(player);
    session.queue.setVoiceChannel(request.voiceChannelId);
    // Connected with nothing playing yet: if no track ever starts (a refused addition, a failed start), leave later.
    this.#idleIfUnattended(session);
    this.#log.info(
      { guild_id: session.guildId, voice_channel_id: request.voiceChannelId, node: player.node },
      'joined a voice channel',
    );
    this.#changed(session.guildId);
    return player;
  }

  #isCurrent(session: GuildSession): boolean {
    return this.#sessions.get(session.guildId) === session;
  }

  /** Whether a session that replaced `session` in its guild is joining now. */
  #successorJoining(session: GuildSession): boolean {
    const current = this.#sessions.get(session.guildId);
    return current !== undefined && current !== session && this.#joining.has(current);
  }

  #idleIfUnattended(session: GuildSession): void {
    if (!session.queue.alwaysOn && !session.queue.current) {
      this.#timers.start(session.guildId, 'idle', this.#options.idleTimeoutMs);
    }
  }

  #aloneIfUnattended(session: GuildSession): void {
    if (!session.queue.alwaysOn && session.listeners === 0) {
      this.#timers.start(session.guildId, 'alone', this.#options.aloneTimeoutMs);
    }
  }

  #expired(guildId: string, kind: IdleKind): void {
    const session = this.#sessions.get(guildId);
    if (!session || session.queue.alwaysOn) return;
    if (kind === 'idle' && session.queue.current) return;
    if (kind === 'alone' && session.listeners !== 0) return;
    void this.#leaveAutomatically(session, kind);
  }

  /** Leaves on the bot's own initiative: counted, and never throws (nobody is waiting to hear about it). */
  async #leaveAutomatically(session: GuildSession, reason: AutomaticLeave): Promise<void> {
    this.#countAutomation('idle_disconnect', reason);
    await this.#disconnectQuietly(session, reason);
  }

  /** {@link #disconnect} for a leave no command waits on: a player that cannot be destroyed is logged, not thrown. */
  async #disconnectQuietly(session: GuildSession, reason: DisconnectReason): Promise<void> {
    try {
      await this.#disconnect(session, reason);
    } catch (error) {
      this.#log.warn({ err: error, guild_id: session.guildId, reason }, 'could not destroy the player');
    }
  }

  /** Forgets the session, then destroys its player; `disconnected` is announced even if destroying fails. */
  async #disconnect(session: GuildSession, reason: DisconnectReason): Promise<void> {
    if (this.#isCurrent(session)) this.#sessions.delete(session.guildId);
    this.#timers.cancel(session.guildId);
    session.detach('disconnected');
    try {
      await session.player?.destroy();
    } finally {
      const channel = session.queue.voiceChannelId;
      this.#log.info({ guild_id: session.guildId, voice_channel_id: channel, reason }, 'left the voice channel');
      this.#announce('disconnected', { guildId: session.guildId, textChannelId: session.textChannelId, reason });
    }
  }

  /** Runs a limit check; a refusal is counted as `queue_trim` with the limit as its outcome, then rethrown. */
  #applyLimits<T>(check: () => AdditionPlan<T>): AdditionPlan<T> {
    try {
      return check();
    } catch (error) {
      const outcome = error instanceof MusicError ? LimitOutcomes[error.identifier] : undefined;
      if (outcome) this.#countAutomation('queue_trim', outcome);
      throw error;
    }
  }

  /**
   * Runs a command's change on the guild's session; persistence hears of it whatever happened, even a failure halfway
   * (a skip whose player call failed has still moved the queue).
   */
  #change<T>(guildId: string, missing: MusicErrorIdentifier, change: (session: GuildSession) => T): T {
    const session = this.#requireSession(guildId, missing);
    let result: T;
    try {
      result = change(session);
    } catch (error) {
      this.#changed(guildId);
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => this.#changed(guildId)) as T;
    this.#changed(guildId);
    return result;
  }

  /** Tells persistence the guild's state changed, while it has a player and the service runs. */
  #changed(guildId: string): void {
    if (this.#closed || !this.#sessions.get(guildId)?.player) return;
    this.#announce('stateChanged', { guildId });
  }

  #countAutomation(action: 'idle_disconnect' | 'queue_trim', outcome: string): void {
    this.#options.instruments.automationActions.add(1, {
      [AttributeNames.Action]: action,
      [AttributeNames.Outcome]: outcome,
    });
  }

  /** Emits an event; a throwing listener is logged, never allowed to break playback. */
  #announce<K extends keyof MusicServiceEvents>(event: K, ...args: MusicServiceEvents[K]): void {
    try {
      // The generic signature of the typed emitter cannot follow `K` here; the parameters above keep callers typed.
      (this as EventEmitter).emit(event, ...args);
    } catch (error) {
      this.#log.error({ err: error, event }, 'a music event listener threw');
    }
  }

  #reading(): MusicGaugeReading {
    const players: { node: string; state: PlayerState }[] = [];
    let queued = 0;
    for (const session of this.#sessions.values()) {
      queued += session.queue.size;
      const state = session.state;
      if (session.player && state) players.push({ node: session.player.node, state });
    }
    return { players, queued, connections: players.length };
  }

  #requireGateway(): LavalinkGateway {
    if (!this.#options.gateway) throw new MusicError('music.not_configured');
    return this.#options.gateway;
  }

  #requireLoader(): TrackLoader {
    if (!this.#loader) throw new MusicError('music.not_configured');
    return this.#loader;
  }

  /** The guild's session, or the error `missing` when the bot is not connected there. */
  #requireSession(guildId: string, missing: MusicErrorIdentifier): GuildSession {
    this.#requireGateway();
    const session = this.#sessions.get(guildId);
    if (!session) throw new MusicError(missing);
    return session;
  }
}
