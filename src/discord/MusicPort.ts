import type { FilterPresetName } from '../music/FilterPresets.js';
import type { LoopMode } from '../music/GuildQueueSnapshot.js';
import type { MusicServiceEvents, NowPlaying, PlayOutcome, PlayRequest, QueuePage } from '../music/MusicServiceApi.js';
import type { LoadedTrack, Track } from '../music/Track.js';

export type {
  DisconnectReason,
  MusicServiceEvents as MusicEvents,
  NowPlaying,
  PlayOutcome,
  PlayRequest,
  QueuePage,
} from '../music/MusicServiceApi.js';

/** A value or a promise of it: the Discord layer awaits either, so the service may answer synchronously. */
type MaybePromise<T> = T | Promise<T>;

/**
 * What the Discord layer needs from the music service (`src/music/MusicService.ts`), and nothing else. Commands are
 * short translators onto these calls; every refusal is a `MusicError` the interaction pipeline answers.
 */
export interface MusicPort {
  /** False when no Lavalink node is configured: music commands then refuse politely. */
  readonly enabled: boolean;
  play(request: PlayRequest): Promise<PlayOutcome>;
  search(query: string, limit?: number): Promise<readonly LoadedTrack[]>;
  autocomplete(query: string): Promise<readonly { name: string; value: string }[]>;
  enqueue(request: PlayRequest, track: LoadedTrack): Promise<PlayOutcome>;
  pause(guildId: string): MaybePromise<unknown>;
  resume(guildId: string): MaybePromise<unknown>;
  skip(guildId: string): MaybePromise<Track>;
  stop(guildId: string): MaybePromise<unknown>;
  leave(guildId: string): MaybePromise<unknown>;
  seek(guildId: string, positionMs: number): MaybePromise<unknown>;
  setVolume(guildId: string, volume: number): MaybePromise<unknown>;
  setLoop(guildId: string, mode: LoopMode): MaybePromise<unknown>;
  shuffle(guildId: string): MaybePromise<number>;
  remove(guildId: string, position: number): MaybePromise<Track>;
  move(guildId: string, from: number, to: number): MaybePromise<Track>;
  clear(guildId: string): MaybePromise<number>;
  setFilter(guildId: string, preset: FilterPresetName): MaybePromise<unknown>;
  setAlwaysOn(guildId: string, on: boolean): MaybePromise<unknown>;
  /** @throws {MusicError} `nothing.playing` */
  nowPlaying(guildId: string): NowPlaying;
  queuePage(guildId: string, page: number, size?: number): QueuePage;
  /** The voice channel the bot plays in for the guild, if any. */
  voiceChannelOf(guildId: string): string | undefined;
  membersChanged(guildId: string, voiceChannelId: string, listeners: number): void;
  guildGone(guildId: string): MaybePromise<unknown>;
  channelGone(guildId: string, channelId: string): MaybePromise<unknown>;
  on<K extends keyof MusicServiceEvents>(event: K, listener: (...args: MusicServiceEvents[K]) => void): unknown;
  off<K extends keyof MusicServiceEvents>(event: K, listener: (...args: MusicServiceEvents[K]) => void): unknown;
}
