import type { APIMessage } from 'discord-api-types/v10';

/** Messages visible in channels (ephemeral messages never land here), oldest first per channel. */
export class MessageStore {
  readonly #channels = new Map<string, APIMessage[]>();

  /** The channel's messages, oldest first. */
  public list(channelId: string): readonly APIMessage[] {
    return this.#channels.get(channelId) ?? [];
  }

  /** One message. */
  public get(channelId: string, messageId: string): APIMessage | undefined {
    return this.list(channelId).find((m) => m.id === messageId);
  }

  /** Stores a new message. */
  public add(message: APIMessage): void {
    const messages = this.#channels.get(message.channel_id) ?? [];
    messages.push(message);
    this.#channels.set(message.channel_id, messages);
  }

  /** Replaces a stored message; false when it is not stored. */
  public replace(message: APIMessage): boolean {
    const messages = this.#channels.get(message.channel_id);
    const index = messages?.findIndex((m) => m.id === message.id) ?? -1;
    if (!messages || index < 0) return false;
    messages[index] = message;
    return true;
  }

  /** Removes a message; false when it is not stored. */
  public remove(channelId: string, messageId: string): boolean {
    const messages = this.#channels.get(channelId);
    const index = messages?.findIndex((m) => m.id === messageId) ?? -1;
    if (!messages || index < 0) return false;
    messages.splice(index, 1);
    return true;
  }
}
