import { once } from 'node:events';
import { type Client, Events, type VoiceState } from 'discord.js';
import type { Connection, Shoukaku } from 'shoukaku';

/**
 * Moves the bot's voice connection in a guild to another channel: a gateway voice state update (op 4), then waits
 * until Discord confirmed the move. shoukaku has no API for this, and tells Lavalink only when a VOICE_SERVER_UPDATE
 * follows, which a move within one voice server does not bring: the caller sends Lavalink the new voice state.
 */
export async function moveVoiceChannel(
  client: Client,
  shoukaku: Shoukaku,
  connection: Connection,
  channelId: string,
  timeoutMs: number,
): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  const confirmed = (async () => {
    for (;;) {
      const [, state] = (await once(client, Events.VoiceStateUpdate, { signal })) as [VoiceState, VoiceState];
      if (state.guild.id === connection.guildId && state.id === client.user?.id && state.channelId === channelId)
        return;
    }
  })();
  shoukaku.connector.sendPacket(
    connection.shardId,
    {
      op: 4,
      d: {
        guild_id: connection.guildId,
        channel_id: channelId,
        self_deaf: connection.deafened,
        self_mute: connection.muted,
      },
    },
    false,
  );
  await confirmed;
}
