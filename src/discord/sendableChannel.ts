import type { Client, SendableChannels } from 'discord.js';

/**
 * The channel to post in, from the cache or else fetched; undefined when it is not a channel messages can be sent to.
 * Rejects when the fetch does (a deleted channel, one the bot cannot see).
 */
export async function sendableChannel(client: Client, channelId: string): Promise<SendableChannels | undefined> {
  const channel = client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId));
  return channel?.isSendable() ? channel : undefined;
}
