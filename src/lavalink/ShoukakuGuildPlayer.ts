import type { Connection, FilterOptions, Node, Player, UpdatePlayerOptions } from 'shoukaku';
import type {
  GuildPlayer,
  LavalinkFilters,
  LoadFailureSeverity,
  PlayerEvent,
  PlayerEventListener,
  PlayOptions,
  TrackEndReason,
} from '../music/LavalinkGateway.js';
import type { Track } from '../music/Track.js';
import { LavalinkUnavailableError } from './LavalinkUnavailableError.js';
import { VoiceStateError, voiceStateOf } from './voiceState.js';

/** What a {@link ShoukakuGuildPlayer} needs from the gateway that made it. */
export interface GuildPlayerContext {
  /** The clock positions are extrapolated on, in milliseconds. */
  readonly now: () => number;
  /** The guild's voice connection, as shoukaku tracks it. */
  readonly connection: () => Connection | undefined;
  /** Leaves voice and forgets the player. */
  readonly release: (player: ShoukakuGuildPlayer) => Promise<void>;
  /** A listener threw; the others still ran. */
  readonly listenerFailed: (error: unknown, event: PlayerEvent) => void;
}

interface CurrentTrack {
  readonly encoded: string;
  readonly lengthMs: number;
  readonly isStream: boolean;
}

/**
 * One guild's player, over one shoukaku `Player` for the whole session. A failover points that `Player` at another
 * node (`moveTo`), so listeners stay subscribed and the music service keeps the same object. The player state that a
 * move has to replay (track, position, pause, volume, filters) is kept here rather than read back from shoukaku,
 * whose copy is partly wrong: `update()` resets `paused` and merges filters that Lavalink replaces.
 */
export class ShoukakuGuildPlayer implements GuildPlayer {
  readonly #player: Player;
  readonly #context: GuildPlayerContext;
  readonly #listeners = new Set<PlayerEventListener>();
  #track: CurrentTrack | null = null;
  /** The position `position` ms was true at clock time `at`. */
  #anchor = { position: 0, at: 0 };
  #paused = false;
  #volume = 100;
  #filters: LavalinkFilters = {};
  /** Lavalink's last word on the voice connection; a disconnected player's position does not move. */
  #voiceConnected = true;
  #moving: Promise<void> | null = null;
  #released = false;

  constructor(player: Player, context: GuildPlayerContext) {
    this.#player = player;
    this.#context = context;
    player.on('start', (e) => this.#onStart(e.track.encoded));
    player.on('end', (e) => this.#onEnd(e.track.encoded, e.reason));
    player.on('exception', (e) => {
      // Lavalink v4 sends the track with the exception; shoukaku's type leaves it out.
      const encoded = (e as { track?: { encoded?: string } }).track?.encoded ?? this.#track?.encoded ?? '';
      this.#emit({
        type: 'exception',
        encoded,
        message: e.exception?.message ?? 'unknown exception',
        severity: (e.exception?.severity ?? 'fault') as LoadFailureSeverity,
      });
    });
    player.on('stuck', (e) => this.#emit({ type: 'stuck', encoded: e.track.encoded, thresholdMs: e.thresholdMs }));
    player.on('closed', (e) => this.#emit({ type: 'closed', code: e.code, reason: e.reason, byRemote: e.byRemote }));
    player.on('update', (e) => {
      this.#anchor = { position: e.state.position, at: context.now() };
      this.#voiceConnected = e.state.connected;
    });
  }

  get guildId(): string {
    return this.#player.guildId;
  }

  get node(): string {
    return this.#player.node.name;
  }

  /** The shoukaku player underneath; the gateway releases a guild's shoukaku entries only while they are this one's. */
  get shoukakuPlayer(): Player {
    return this.#player;
  }

  /** The shoukaku node object serving the player now; failover compares it with the node that failed. */
  get nodeObject(): Node {
    return this.#player.node;
  }

  /** False once destroyed or lost: every operation then throws. */
  get usable(): boolean {
    return !this.#released;
  }

  /** The encoded track Lavalink is playing (or paused on), if any. */
  get encodedTrack(): string | null {
    return this.#track?.encoded ?? null;
  }

  async play(track: Track, options: PlayOptions = {}): Promise<void> {
    const startMs = Math.max(0, Math.floor(options.startMs ?? 0));
    const paused = options.paused ?? this.#paused;
    const volume = options.volume ?? this.#volume;
    const filters = options.filters ?? this.#filters;
    await this.#send({
      track: { encoded: track.encoded },
      ...(startMs > 0 ? { position: startMs } : {}),
      paused,
      volume: Math.round(volume),
      // Lavalink replaces filters rather than merging them: always the whole set.
      filters: filterOptions(filters),
    });
    this.#track = { encoded: track.encoded, lengthMs: track.lengthMs, isStream: track.isStream };
    this.#anchor = { position: startMs, at: this.#context.now() };
    this.#paused = paused;
    this.#volume = volume;
    this.#filters = filters;
  }

  async stop(): Promise<void> {
    await this.#send({ track: { encoded: null } });
    this.#track = null;
    this.#anchor = { position: 0, at: this.#context.now() };
  }

  async pause(): Promise<void> {
    const position = this.position();
    await this.#send({ paused: true });
    this.#anchor = { position, at: this.#context.now() };
    this.#paused = true;
  }

  async resume(): Promise<void> {
    await this.#send({ paused: false });
    this.#anchor = { position: this.#anchor.position, at: this.#context.now() };
    this.#paused = false;
  }

  async seek(positionMs: number): Promise<void> {
    const position = Math.max(0, Math.floor(positionMs));
    await this.#send({ position });
    this.#anchor = { position, at: this.#context.now() };
  }

  async setVolume(volume: number): Promise<void> {
    await this.#send({ volume: Math.round(volume) });
    this.#volume = volume;
  }

  async setFilters(filters: LavalinkFilters): Promise<void> {
    const position = this.position();
    await this.#send({ filters: filterOptions(filters) });
    // Re-anchored because the playback speed may have changed with the filters.
    this.#anchor = { position, at: this.#context.now() };
    this.#filters = filters;
  }

  position(): number {
    return this.positionAt(this.#context.now());
  }

  /**
   * The position extrapolated to clock time `at` from the node's last player update: paused, disconnected and
   * trackless players stand still, and the timescale filter's speed and rate are applied.
   */
  positionAt(at: number): number {
    const track = this.#track;
    if (!track) return 0;
    const { position, at: since } = this.#anchor;
    if (this.#paused || !this.#voiceConnected) return Math.floor(position);
    const { speed = 1, rate = 1 } = this.#filters.timescale ?? {};
    const extrapolated = position + Math.max(0, at - since) * speed * rate;
    const capped = !track.isStream && track.lengthMs > 0 ? Math.min(extrapolated, track.lengthMs) : extrapolated;
    return Math.floor(capped);
  }

  async destroy(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#moving;
    this.#listeners.clear();
    await this.#context.release(this);
  }

  onEvent(listener: PlayerEventListener): () => void {
    // Wrapped so the same function subscribed twice is two subscriptions, each undone by its own function.
    const subscription: PlayerEventListener = (event) => listener(event);
    this.#listeners.add(subscription);
    return () => this.#listeners.delete(subscription);
  }

  /**
   * Recreates the player on `target` as it was at clock time `lostAt` (the last moment the old node was known to
   * play): same track at the extrapolated position, pause, volume, filters, and the current voice state. Nothing is
   * sent to the old node, which is unreachable. Operations called meanwhile wait for the move. Returns the position
   * the track resumed at. On failure the player stays on its old node and the error is thrown.
   */
  async moveTo(target: Node, lostAt: number): Promise<number> {
    if (this.#released) throw new LavalinkUnavailableError('player_released', this.guildId);
    const voice = voiceStateOf(this.#context.connection());
    if (!voice.ok) throw new VoiceStateError(this.guildId, voice.missing);
    const position = this.positionAt(Math.min(lostAt, this.#context.now()));
    const options: UpdatePlayerOptions = {
      voice: voice.voice,
      paused: this.#paused,
      volume: Math.round(this.#volume),
      filters: filterOptions(this.#filters),
      ...(this.#track ? { track: { encoded: this.#track.encoded }, position } : {}),
    };
    const previous = this.#player.node;
    this.#player.node = target;
    const moved = this.#player.update(options).then(
      () => {
        this.#anchor = { position, at: this.#context.now() };
        this.#voiceConnected = true;
      },
      (error: unknown) => {
        this.#player.node = previous;
        throw error;
      },
    );
    const settled = moved.then(
      () => undefined,
      () => undefined,
    );
    this.#moving = settled;
    try {
      await moved;
      return position;
    } finally {
      if (this.#moving === settled) this.#moving = null;
    }
  }

  /** Sends Lavalink the connection's current voice state (after a channel move). */
  async sendVoice(): Promise<void> {
    const voice = voiceStateOf(this.#context.connection());
    if (!voice.ok) throw new VoiceStateError(this.guildId, voice.missing);
    await this.#send({ voice: voice.voice });
  }

  /** The player was lost with its node: it is unusable and its listeners hear nothing more. */
  markLost(): void {
    this.#released = true;
    this.#listeners.clear();
  }

  async #send(options: UpdatePlayerOptions): Promise<void> {
    if (this.#released) throw new LavalinkUnavailableError('player_released', this.guildId);
    if (this.#moving) await this.#moving;
    if (this.#released) throw new LavalinkUnavailableError('player_released', this.guildId);
    await this.#player.update(options);
  }

  #onStart(encoded: string): void {
    this.#emit({ type: 'start', encoded });
  }

  #onEnd(encoded: string, reason: TrackEndReason): void {
    // A `replaced` end belongs to the track before the current one, which may be the same track played again.
    if (this.#track?.encoded === encoded && reason !== 'replaced') {
      this.#track = null;
      this.#anchor = { position: 0, at: this.#context.now() };
    }
    this.#emit({ type: 'end', encoded, reason });
  }

  #emit(event: PlayerEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#context.listenerFailed(error, event);
      }
    }
  }
}

/**
 * The whole filter set as Lavalink takes it, copied: Lavalink replaces the filters with what it is sent, so every
 * update that touches filters carries all of them.
 */
function filterOptions(filters: LavalinkFilters): FilterOptions {
  return structuredClone(filters) as FilterOptions;
}
