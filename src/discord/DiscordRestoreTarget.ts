import type { Client } from 'discord.js';
import type { Track } from '../music/Track.js';
import type { GuildPresence, RestoreDiscord, RestoreFailure } from '../persistence/PlayerRestorer.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { restoreFailedNotice } from './presenters/announcements.js';
import { sendableChannel } from './sendableChannel.js';
import { VoiceWatcher } from './VoiceWatcher.js';

/** What restoring players after a restart asks of Discord, answered from the client's cache once it is ready. */
export class DiscordRestoreTarget implements RestoreDiscord {
  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  presence(guildId: string): GuildPresence {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) return 'gone';
    return guild.available ? { shardId: guild.shardId } : 'unavailable';
  }

  hasVoiceChannel(guildId: string, channelId: string): boolean {
    const channel = this.client.guilds.cache.get(guildId)?.channels.cache.get(channelId);
    return channel?.isVoiceBased() ?? false;
  }

  listeners(guildId: string, channelId: string): number {
    const guild = this.client.guilds.cache.get(guildId);
    return guild ? VoiceWatcher.listeners(guild, channelId, this.client.user?.id) : 0;
  }

  async notifyFailure(textChannelId: string, failure: RestoreFailure, track: Track | null): Promise<void> {
    try {
      const channel = await sendableChannel(this.client, textChannelId);
      if (!channel) {
        this.logger.warn({ channel_id: textChannelId }, 'cannot post the restore notice in this channel');
        return;
      }
      await channel.send(restoreFailedNotice(failure, track));
    } catch (error) {
      this.logger.warn({ err: error, channel_id: textChannelId }, 'could not post the restore notice');
    }
  }
}
