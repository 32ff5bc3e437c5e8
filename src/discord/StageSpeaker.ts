import { ChannelType, type Client, DiscordAPIError, Events, RESTJSONErrorCodes, type VoiceState } from 'discord.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { MusicPort } from './MusicPort.js';
import { stageSpeakerNotice } from './presenters/announcements.js';
import type { MusicMessage } from './presenters/MusicMessage.js';

type TrackStartListener = (event: { guildId: string; textChannelId: string }) => void;

/**
 * Makes the bot heard in stage channels. Discord seats everyone who joins a stage in its audience (`suppress`), so
 * when the bot enters one it makes itself a speaker, which needs Mute Members there; without it, it asks to speak and
 * tells the music's text channel once that a stage moderator (or a server admin) has to let it speak.
 *
 * Only entering a stage counts: a moderator who later moves the bot back to the audience is not overruled.
 */
export class StageSpeaker implements Disposable {
  /** Guilds whose stage refused the bot, not yet told so: guild id to the stage channel id. */
  readonly #untold = new Map<string, string>();
  /** The text channel of each guild's music, as its latest track start named it. */
  readonly #textChannels = new Map<string, string>();
  readonly #onVoiceState = (before: VoiceState, after: VoiceState) => this.#voiceStateChanged(before, after);
  readonly #onTrackStart: TrackStartListener = ({ guildId, textChannelId }) => {
    this.#textChannels.set(guildId, textChannelId);
    this.#tell(guildId);
  };

  constructor(
    private readonly client: Client,
    private readonly music: Pick<MusicPort, 'on' | 'off'>,
    private readonly logger: Logger,
  ) {
    client.on(Events.VoiceStateUpdate, this.#onVoiceState);
    music.on('trackStart', this.#onTrackStart);
  }

  [Symbol.dispose](): void {
    this.client.off(Events.VoiceStateUpdate, this.#onVoiceState);
    this.music.off('trackStart', this.#onTrackStart);
  }

  #voiceStateChanged(before: VoiceState, after: VoiceState): void {
    if (after.id !== this.client.user?.id || before.channelId === after.channelId) return;
    const { guild } = after;
    // Left or moved: a refusal in the previous channel is no longer news.
    this.#untold.delete(guild.id);
    if (after.channelId === null) this.#textChannels.delete(guild.id);
    if (after.channel?.type !== ChannelType.GuildStageVoice || !after.suppress) return;
    this.#becomeSpeaker(after).catch((error: unknown) =>
      this.logger.warn({ err: error, guild_id: guild.id, channel_id: after.channelId }, 'could not speak on stage'),
    );
  }

  async #becomeSpeaker(state: VoiceState): Promise<void> {
    const { guild, channelId } = state;
    try {
      await state.setSuppressed(false);
      this.logger.info({ guild_id: guild.id, channel_id: channelId }, 'became a speaker on stage');
      return;
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || error.code !== RESTJSONErrorCodes.MissingPermissions) throw error;
    }
    await state.setRequestToSpeak(true);
    this.logger.info(
      { guild_id: guild.id, channel_id: channelId },
      'may not become a speaker on stage (no Mute Members); asked to speak',
    );
    if (channelId === null || guild.members.me?.voice.channelId !== channelId) return;
    this.#untold.set(guild.id, channelId);
    this.#tell(guild.id);
  }

  /** Posts the refusal notice once both the refusal and the music's text channel are known. */
  #tell(guildId: string): void {
    const stageId = this.#untold.get(guildId);
    const textChannelId = this.#textChannels.get(guildId);
    // '' is the music service's "the text channel is gone": there is nowhere to post.
    if (stageId === undefined || !textChannelId) return;
    this.#untold.delete(guildId);
    this.#post(textChannelId, stageSpeakerNotice(stageId)).catch((error: unknown) =>
      this.logger.warn({ err: error, guild_id: guildId, channel_id: textChannelId }, 'could not post the stage notice'),
    );
  }

  async #post(channelId: string, message: MusicMessage): Promise<void> {
    const channel = this.client.channels.cache.get(channelId) ?? (await this.client.channels.fetch(channelId));
    if (!channel?.isSendable()) {
      this.logger.warn({ channel_id: channelId }, 'cannot post the stage notice in this channel');
      return;
    }
    await channel.send(message);
  }
}
