import type { GuildSettingsProvider } from './permissions/GuildSettingsProvider.js';

/** A guild's settings as `/settings` shows them. Null: the configured default applies. */
export interface GuildSettingsValues {
  /** The role that may control playback; null: anyone in the bot's voice channel. */
  readonly djRoleId: string | null;
  /** Volume a new player starts at, 0-200. */
  readonly defaultVolume: number | null;
  /** The voice channel where 24/7 is on as soon as the bot joins it. */
  readonly alwaysOnChannelId: string | null;
  /** Commands per member and minute in this guild. */
  readonly throttlePerMinute: number | null;
}

/** What `/settings` changes: a value sets, null resets to the configured default, an absent key leaves alone. */
export type GuildSettingsUpdate = Partial<GuildSettingsValues>;

/** The configured defaults the null settings stand for, for display. */
export interface GuildSettingsDefaults {
  readonly defaultVolume: number;
  readonly throttlePerMinute: number;
}

/**
 * Guild settings as the Discord layer reads and changes them (`/settings`, the DJ role of the permission gate). The
 * persistence layer implements it on the database; reads and writes may fail with the database's error, which the
 * interaction pipeline answers as a fault.
 */
export interface GuildSettingsStore extends GuildSettingsProvider {
  readonly defaults: GuildSettingsDefaults;
  get(guildId: string): Promise<GuildSettingsValues>;
  update(guildId: string, changes: GuildSettingsUpdate): Promise<GuildSettingsValues>;
}

/** One play of `/history`. */
export interface PlayedTrack {
  readonly title: string;
  readonly author: string;
  readonly uri: string | null;
  /** Who queued it. */
  readonly memberId: string;
  readonly startedAt: Date;
  /** Audio actually played, pauses excluded. */
  readonly playedMs: number;
}

/** The guild's play history, newest first (`/history`). */
export interface PlayHistoryReader {
  recentInGuild(guildId: string, limit: number): Promise<readonly PlayedTrack[]>;
}
