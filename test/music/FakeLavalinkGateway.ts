import type {
  GuildPlayer,
  JoinOptions,
  LavalinkFilters,
  LavalinkGateway,
  LoadResult,
  PlayerEvent,
  PlayerEventListener,
  PlayOptions,
} from '../../src/music/LavalinkGateway.js';
import { lavalinkIdentifier, type ValidatedQuery } from '../../src/music/QueryGuard.js';
import type { Track } from '../../src/music/Track.js';

/** One call a fake player received, for assertions on what the music code asked Lavalink to do. */
export type PlayerCall =
  | { readonly op: 'play'; readonly encoded: string; readonly options: PlayOptions }
  | { readonly op: 'stop' | 'pause' | 'resume' | 'destroy' }
  | { readonly op: 'seek'; readonly positionMs: number }
  | { readonly op: 'volume'; readonly volume: number }
  | { readonly op: 'filters'; readonly filters: LavalinkFilters };

/** A player that records calls and lets a test emit the events a node would. */
export class FakeGuildPlayer implements GuildPlayer {
  readonly calls: PlayerCall[] = [];
  node = 'fake-node';
  positionMs = 0;
  destroyed = false;
  readonly #listeners = new Set<PlayerEventListener>();

  constructor(
    readonly guildId: string,
    readonly voiceChannelId: string,
  ) {}

  async play(track: Track, options: PlayOptions = {}): Promise<void> {
    this.#use();
    this.positionMs = options.startMs ?? 0;
    this.calls.push({ op: 'play', encoded: track.encoded, options });
  }
  async stop(): Promise<void> {
    this.#use();
    this.calls.push({ op: 'stop' });
  }
  async pause(): Promise<void> {
    this.#use();
    this.calls.push({ op: 'pause' });
  }
  async resume(): Promise<void> {
    this.#use();
    this.calls.push({ op: 'resume' });
  }
  async seek(positionMs: number): Promise<void> {
    this.#use();
    this.positionMs = positionMs;
    this.calls.push({ op: 'seek', positionMs });
  }
  async setVolume(volume: number): Promise<void> {
    this.#use();
    this.calls.push({ op: 'volume', volume });
  }
  async setFilters(filters: LavalinkFilters): Promise<void> {
    this.#use();
    this.calls.push({ op: 'filters', filters });
  }
  position(): number {
    return this.positionMs;
  }
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.calls.push({ op: 'destroy' });
  }
  onEvent(listener: PlayerEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers an event as the node would. */
  emit(event: PlayerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #use(): void {
    if (this.destroyed) throw new Error('player used after destroy');
  }
}

/** A gateway answering loads from a table keyed by Lavalink identifier (`ytsearch:...` or the URL). */
export class FakeLavalinkGateway implements LavalinkGateway {
  readonly results = new Map<string, LoadResult>();
  readonly loads: string[] = [];
  readonly #players = new Map<string, FakeGuildPlayer>();

  async load(query: ValidatedQuery): Promise<LoadResult> {
    const identifier = lavalinkIdentifier(query);
    this.loads.push(identifier);
    return this.results.get(identifier) ?? { kind: 'empty', tracks: [] };
  }

  async join(options: JoinOptions): Promise<FakeGuildPlayer> {
    const existing = this.#players.get(options.guildId);
    if (existing && !existing.destroyed && existing.voiceChannelId === options.voiceChannelId) return existing;
    const player = new FakeGuildPlayer(options.guildId, options.voiceChannelId);
    this.#players.set(options.guildId, player);
    return player;
  }

  player(guildId: string): FakeGuildPlayer | undefined {
    const player = this.#players.get(guildId);
    return player?.destroyed ? undefined : player;
  }
}
