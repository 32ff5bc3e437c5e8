import type { Client, Message } from 'discord.js';
import { MusicError } from '../music/MusicError.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { MusicEvents, MusicPort } from './MusicPort.js';
import { disconnectNotice, queueEndNotice, trackErrorNotice } from './presenters/announcements.js';
import type { MusicMessage } from './presenters/MusicMessage.js';
import { nowPlayingMessage } from './presenters/nowPlayingMessage.js';
import { sendableChannel } from './sendableChannel.js';

type Listener<K extends keyof MusicEvents> = (...args: MusicEvents[K]) => void;

/** The music events that become messages (the others are for persistence). */
type AnnouncedEvent = 'trackStart' | 'queueEnd' | 'disconnected' | 'trackError';

/**
 * Turns the music service's events into messages in the guild's text channel: a now-playing message with buttons
 * for every track (the previous one is deleted, so the live controls are always the newest message), a notice when
 * the queue ends, when the bot left on its own (idle, alone, the node went away) and when a track failed.
 *
 * Messages of one guild are sent in event order; a failure to post is logged and never reaches the music service.
 */
export class MusicAnnouncer implements Disposable {
  /** The live now-playing message of each guild. */
  readonly #nowPlaying = new Map<string, Message>();
  /** The tail of each guild's chain of announcements. */
  readonly #chains = new Map<string, Promise<void>>();
  readonly #listeners: { [K in AnnouncedEvent]: Listener<K> };

  constructor(
    private readonly client: Client,
    private readonly music: Pick<MusicPort, 'on' | 'off' | 'nowPlaying'>,
    private readonly logger: Logger,
    /** Whether a guild's lost player will be restored when a Lavalink node is back (its queue is kept). */
    private readonly resumesLater: (guildId: string) => boolean = () => false,
  ) {
    this.#listeners = {
      trackStart: ({ guildId, textChannelId }) =>
        this.#enqueue(guildId, 'track_start', () => this.#announceTrack(guildId, textChannelId)),
      queueEnd: ({ guildId, textChannelId }) =>
        this.#enqueue(guildId, 'queue_end', async () => {
          await this.#retire(guildId);
          await this.#post(textChannelId, queueEndNotice());
        }),
      disconnected: ({ guildId, textChannelId, reason }) => {
        // Asked now, not when the notice is posted: by then the node may be back and the restore under way.
        const notice = disconnectNotice(reason, reason === 'node_lost' && this.resumesLater(guildId));
        this.#enqueue(guildId, 'disconnected', async () => {
          await this.#retire(guildId);
          if (notice) await this.#post(textChannelId, notice);
        });
      },
      trackError: ({ guildId, textChannelId, track, kind }) =>
        this.#enqueue(guildId, 'track_error', () => this.#post(textChannelId, trackErrorNotice(track, kind))),
    };
    music.on('trackStart', this.#listeners.trackStart);
    music.on('queueEnd', this.#listeners.queueEnd);
    music.on('disconnected', this.#listeners.disconnected);
    music.on('trackError', this.#listeners.trackError);
  }

  /** Resolves once every announcement queued so far was sent (or failed and was logged). For tests and shutdown. */
  async settled(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  /** Stops listening; messages already posted stay. */
  [Symbol.dispose](): void {
    this.music.off('trackStart', this.#listeners.trackStart);
    this.music.off('queueEnd', this.#listeners.queueEnd);
    this.music.off('disconnected', this.#listeners.disconnected);
    this.music.off('trackError', this.#listeners.trackError);
  }

  async #announceTrack(guildId: string, textChannelId: string): Promise<void> {
    let message: MusicMessage;
    try {
      message = nowPlayingMessage(this.music.nowPlaying(guildId));
    } catch (error) {
      // The track already ended (a skip right after the start): there is nothing to show any more.
      if (error instanceof MusicError) return;
      throw error;
    }
    await this.#retire(guildId, { delete: true });
    const posted = await this.#post(textChannelId, message);
    if (posted) this.#nowPlaying.set(guildId, posted);
  }

  /**
   * Takes the guild's now-playing message out of service: deleted when a newer one replaces it, otherwise left in
   * the channel as a record with its buttons removed, so nobody clicks controls of a player that is gone.
   */
  async #retire(guildId: string, { delete: remove = false } = {}): Promise<void> {
    const previous = this.#nowPlaying.get(guildId);
    if (!previous) return;
    this.#nowPlaying.delete(guildId);
    try {
      if (remove) await previous.delete();
      else await previous.edit({ components: [] });
    } catch (error) {
      // Someone deleted it already, or the channel went away: the new message matters, not the old one.
      this.logger.debug(
        { err: error, guild_id: guildId, message_id: previous.id },
        'could not retire now-playing message',
      );
    }
  }

  async #post(channelId: string, message: MusicMessage): Promise<Message | undefined> {
    // The service sends '' when the guild's text channel is gone: there is nowhere to post.
    if (channelId === '') return undefined;
    const channel = await sendableChannel(this.client, channelId);
    if (!channel) {
      this.logger.warn({ channel_id: channelId }, 'cannot post music announcements in this channel');
      return undefined;
    }
    return channel.send(message);
  }

  #enqueue(guildId: string, event: string, announce: () => Promise<unknown>): void {
    const previous = this.#chains.get(guildId) ?? Promise.resolve();
    const next = previous
      .then(announce)
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.warn({ err: error, guild_id: guildId, event }, 'could not post a music announcement'),
      )
      .finally(() => {
        if (this.#chains.get(guildId) === next) this.#chains.delete(guildId);
      });
    this.#chains.set(guildId, next);
  }
}
