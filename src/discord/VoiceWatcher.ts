import {
  type Client,
  type DMChannel,
  Events,
  type Guild,
  type NonThreadGuildBasedChannel,
  type VoiceState,
} from 'discord.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { MusicPort } from './MusicPort.js';

/** What the watcher tells the music service. */
export interface VoiceWatcherMusic
  extends Pick<MusicPort, 'voiceChannelOf' | 'membersChanged' | 'guildGone' | 'channelGone'> {
  /** The bot's own voice channel in the guild changed: moved by someone, or disconnected (`null`). */
  botVoiceChanged(guildId: string, voiceChannelId: string | null): unknown;
}

/**
 * Feeds the music service's automation from the gateway: how many people listen in the bot's voice channel (for the
 * "alone" disconnect), where the bot itself is (a moderator may move or disconnect it), and guilds and channels that
 * went away (so no player outlives them). The decisions (timers, 24/7, leaving) are the service's; this only
 * translates Discord events.
 */
export class VoiceWatcher implements Disposable {
  readonly #onVoiceState = (before: VoiceState, after: VoiceState) => this.#voiceStateChanged(before, after);
  readonly #onGuildDelete = (guild: Guild) => this.#run('guild_gone', guild.id, () => this.music.guildGone(guild.id));
  readonly #onChannelDelete = (channel: DMChannel | NonThreadGuildBasedChannel) => {
    if (channel.isDMBased()) return;
    this.#run('channel_gone', channel.guildId, () => this.music.channelGone(channel.guildId, channel.id));
  };

  constructor(
    private readonly client: Client,
    private readonly music: VoiceWatcherMusic,
    private readonly logger: Logger,
  ) {
    client.on(Events.VoiceStateUpdate, this.#onVoiceState);
    // `guildDelete` fires when the bot was removed or the guild deleted, not during an outage (`guildUnavailable`).
    client.on(Events.GuildDelete, this.#onGuildDelete);
    client.on(Events.ChannelDelete, this.#onChannelDelete);
  }

  /** Humans (not bots) connected to `channelId`, from the voice states the gateway keeps current. */
  static listeners(guild: Guild, channelId: string, botUserId: string | undefined): number {
    let count = 0;
    for (const state of guild.voiceStates.cache.values()) {
      if (state.channelId !== channelId || state.id === botUserId) continue;
      // A member missing from the cache is counted: keeping the bot for a stranger beats leaving a listener.
      if (state.member?.user.bot) continue;
      count += 1;
    }
    return count;
  }

  [Symbol.dispose](): void {
    this.client.off(Events.VoiceStateUpdate, this.#onVoiceState);
    this.client.off(Events.GuildDelete, this.#onGuildDelete);
    this.client.off(Events.ChannelDelete, this.#onChannelDelete);
  }

  #voiceStateChanged(before: VoiceState, after: VoiceState): void {
    if (after.id === this.client.user?.id) {
      this.#botVoiceStateChanged(before, after);
      return;
    }
    const channelId = this.music.voiceChannelOf(after.guild.id);
    if (channelId === undefined || (before.channelId !== channelId && after.channelId !== channelId)) return;
    this.#membersChanged(after.guild, channelId);
  }

  /**
   * The bot's own voice state: the service hears of a new channel first (so it counts the listeners there), then the
   * listeners of the channel the bot is in now, if any.
   */
  #botVoiceStateChanged(before: VoiceState, after: VoiceState): void {
    const { guild, channelId } = after;
    if (before.channelId !== channelId) {
      this.#run('bot_voice_changed', guild.id, () => this.music.botVoiceChanged(guild.id, channelId));
    }
    if (channelId !== null) this.#membersChanged(guild, channelId);
  }

  #membersChanged(guild: Guild, channelId: string): void {
    this.#run('members_changed', guild.id, () =>
      this.music.membersChanged(guild.id, channelId, VoiceWatcher.listeners(guild, channelId, this.client.user?.id)),
    );
  }

  /** Runs a service call so that a failure is logged here instead of escaping into discord.js' event emitter. */
  #run(event: string, guildId: string, call: () => unknown): void {
    try {
      const result = call();
      if (result instanceof Promise) {
        result.catch((error: unknown) => this.#failed(event, guildId, error));
      }
    } catch (error) {
      this.#failed(event, guildId, error);
    }
  }

  #failed(event: string, guildId: string, error: unknown): void {
    this.logger.warn({ err: error, guild_id: guildId, event }, 'music service failed to handle a Discord event');
  }
}
