import type { Logger } from '../telemetry/logging/createLogger.js';
import type { FilterPresetName } from './FilterPresets.js';
import type { LoopMode } from './GuildQueueSnapshot.js';
import type { Track, TrackOrigin, TrackRequester } from './Track.js';
import type { TrackStopReason } from './TrackPlayback.js';

/** Who asks, for which guild. */
export interface MusicRequest {
  readonly guildId: string;
  readonly member: TrackRequester;
  /** The command span that asked (`{traceId, spanId}`), so the `track play` span can link to it. */
  readonly origin?: TrackOrigin;
}

/** `/play` and the `/search` pick: what to load and where to play it. */
export interface PlayRequest extends MusicRequest {
  readonly query: string;
  readonly voiceChannelId: string;
  /** Where announcements (now playing, queue ended, left) go; the latest command's channel wins. */
  readonly textChannelId: string;
  /** The gateway shard of the guild, which carries the voice state update. */
  readonly shardId: number;
}

/** What an addition did, for the reply. */
export interface PlayOutcome {
  /** True when the first added track started playing at once. */
  readonly started: boolean;
  /** The tracks added (after the limits), in queue order. */
  readonly tracks: readonly Track[];
  readonly playlistName?: string;
  /** 1-based queue position of the first added track; 0 when it started playing. */
  readonly position: number;
  /** Tracks left out because the queue reached its length limit. */
  readonly trimmed: number;
  /** Tracks left out for being longer than the track length limit. */
  readonly skippedTooLong: number;
  /** Tracks left out because the member reached their share of the queue. */
  readonly skippedOverShare: number;
}

/** The state `/nowplaying` shows. */
export interface NowPlaying {
  readonly track: Track;
  readonly positionMs: number;
  readonly paused: boolean;
  readonly loop: LoopMode;
  readonly volume: number;
  readonly filter: FilterPresetName;
  /** Name of the Lavalink node serving the player. */
  readonly node: string;
  readonly alwaysOn: boolean;
}

/** One page of the queue. */
export interface QueuePage {
  readonly current: Track | null;
  readonly tracks: readonly Track[];
  /** 1-based, clamped to the pages there are. */
  readonly page: number;
  /** At least 1, even for an empty queue. */
  readonly pages: number;
  /** Tracks waiting in the whole queue. */
  readonly total: number;
  /** Length of all waiting tracks in milliseconds (streams count as zero; the playing track is not included). */
  readonly totalLengthMs: number;
  readonly loop: LoopMode;
  /** 1-based queue position of `tracks[0]`. */
  readonly firstPosition: number;
}

/**
 * Why the bot left a voice channel. `idle`, `alone`, `channel_gone`, `guild_gone` are automation; `left` is `/leave`
 * (its reply says so, the channel is not told); `disconnected` is someone disconnecting the bot in Discord (the
 * channel is told why the music stopped); `node_lost` and `stopped` are reserved for the Lavalink layer giving up on a
 * player.
 */
export type DisconnectReason =
  | 'idle'
  | 'alone'
  | 'node_lost'
  | 'channel_gone'
  | 'guild_gone'
  | 'left'
  | 'disconnected'
  | 'stopped';

/** What went wrong with a track: Lavalink's TrackException, or a TrackStuck the service gave up on. */
export type TrackErrorKind = 'exception' | 'stuck';

/** A track that stopped playing, with how long it was heard: one row of play history. */
export interface TrackEndedEvent {
  readonly guildId: string;
  readonly track: Track;
  /** Wall-clock time of Lavalink's TrackStart. */
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Audio actually played, pauses excluded. */
  readonly playedMs: number;
  /** Why it stopped; `shutdown` means the bot is stopping and the track plays on after a restore. */
  readonly reason: TrackStopReason;
}

/**
 * The events the music service emits: the Discord announcer turns the first four into channel messages, persistence
 * follows the last two. `textChannelId` is the channel of the latest command for the guild, or `''` when that channel
 * is gone.
 */
export interface MusicServiceEvents {
  trackStart: [event: { guildId: string; textChannelId: string; track: Track }];
  queueEnd: [event: { guildId: string; textChannelId: string }];
  disconnected: [event: { guildId: string; textChannelId: string; reason: DisconnectReason }];
  trackError: [event: { guildId: string; textChannelId: string; track: Track; kind: TrackErrorKind }];
  /**
   * Something in the guild's state changed (queue, current track, pause, volume, loop, filter, position, 24/7): take a
   * new snapshot with `snapshotOf`. Emitted only while the guild has a player, synchronously, possibly several times
   * for one command: listeners must be cheap (persistence coalesces).
   */
  stateChanged: [event: { guildId: string }];
  /** A track stopped playing (finished, skipped, stopped, failed, the bot left or is shutting down). */
  trackEnded: [event: TrackEndedEvent];
}

/** The logger the music service writes to: pino's, or anything with the same methods. */
export type MusicLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
