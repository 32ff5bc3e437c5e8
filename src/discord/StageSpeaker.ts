import { ChannelType, type Client, DiscordAPIError, Events, RESTJSONErrorCodes, type VoiceState } from 'discord.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { MusicPort } from './MusicPort.js';
import { stageSpeakerNotice } from './presenters/announcements.js';
import type { MusicMessage } from './presenters/MusicMessage.js';
import { sendableChannel } from './sendableChannel.js';

type TrackStartListener = (event: { guildId: string; textChannelId: string }) => void;

/**
 * Makes the bot heard in stage channels. Discord seats everyone who joins a stage in its audience (`suppress`), so
 * when the bot enters one it makes itself a speaker, which needs Mute Members there; without it, it asks to speak and
 * tells the music's text channel once that a stage moderator (or a server admin) has to let it speak.
 *
 * Only entering a stage counts: a moderator who later moves the bot back to the audience is not overruled.
 */
export class StageSpeaker implements Disposable {
  /** Guilds whose stage refused the bot, not yet told so: the stage channel, and whether the bot could ask to speak. */
  readonly #untold = new Map<string, { readonly stageId: string; readonly asked: boolean }>();
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
    // Entering: another channel, or the same one from a new voice session (a restart that found the bot still there).
    if (after.id !== this.client.user?.id) return;
    if (before.channelId === after.channelId && before.sessionId === after.sessionId) return;
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
      if (!missingPermissions(error)) throw error;
    }
    // `state` is discord.js' live object: after a move or a leave meanwhile, asking would go to another channel.
    if (channelId === null || guild.members.me?.voice.channelId !== channelId) return;
    let asked = true;
    try {
      await state.setRequestToSpeak(true);
    } catch (error) {
      // The stage denies Request to Speak: the channel must still hear why nothing plays.
      if (!missingPermissions(error)) throw error;
      asked = false;
    }
    this.logger.info(
      { guild_id: guild.id, channel_id: channelId, asked_to_speak: asked },
      'may not become a speaker on stage (no Mute Members)',
    );
    if (guild.members.me?.voice.channelId !== channelId) return;
    this.#untold.set(guild.id, { stageId: channelId, asked });
    this.#tell(guild.id);
  }

  /** Posts the refusal notice once both the refusal and the music's text channel are known. */
  #tell(guildId: string): void {
    const untold = this.#untold.get(guildId);
    const textChannelId = this.#textChannels.get(guildId);
    // '' is the music service's "the text channel is gone": there is nowhere to post.
    if (untold === undefined || !textChannelId) return;
    this.#untold.delete(guildId);
    this.#post(textChannelId, stageSpeakerNotice(untold.stageId, untold.asked)).catch((error: unknown) =>
      this.logger.warn({ err: error, guild_id: guildId, channel_id: textChannelId }, 'could not post the stage notice'),
    );
  }

  async #post(channelId: string, message: MusicMessage): Promise<void> {
    const channel = await sendableChannel(this.client, channelId);
    if (!channel) {
      this.logger.warn({ channel_id: channelId }, 'cannot post the stage notice in this channel');
      return;
    }
    await channel.send(message);
  }
}

const missingPermissions = (error: unknown): boolean =>
  error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.MissingPermissions;
