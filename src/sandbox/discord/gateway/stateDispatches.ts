import { type APIGuildMember, type APIMessage, GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';
import { guildCreatePayload, memberPayload } from '../state/guildPayloads.js';
import type { SandboxGuild } from '../state/SandboxGuild.js';
import type { SandboxStateEvents } from '../state/SandboxState.js';
import type { GatewayServer } from './GatewayServer.js';
import type { GatewaySession } from './GatewaySession.js';

/**
 * Turns state changes into dispatches for the sessions that would receive them on Discord, filtered by
 * the intent each event requires. Returns the function that unsubscribes.
 */
export function subscribeToState(server: GatewayServer): () => void {
  const { state } = server.init;
  type GuildMessage = APIMessage & { guild_id: string; member?: Omit<APIGuildMember, 'user'> };
  const withGuild = (message: APIMessage, guildId: string): GuildMessage => {
    const author = state.guilds.get(guildId)?.members.get(message.author.id);
    // Webhook messages (interaction responses) carry no member, like on Discord.
    if (!author || message.webhook_id) return { ...message, guild_id: guildId };
    const { user: _user, ...member } = memberPayload(author);
    return { ...message, guild_id: guildId, member };
  };
  const handlers: { [K in keyof SandboxStateEvents]: (...args: SandboxStateEvents[K]) => void } = {
    guildCreate: (guild: SandboxGuild) => {
      const joinedAt = new Date().toISOString();
      server.dispatchToGuild(
        guild.id,
        GatewayDispatchEvents.GuildCreate,
        (session: GatewaySession) => guildCreatePayload(guild, session.intents, state.bot.id, joinedAt),
        GatewayIntentBits.Guilds,
      );
    },
    messageCreate: (message, guildId) => {
      server.dispatchToGuild(
        guildId,
        GatewayDispatchEvents.MessageCreate,
        withGuild(message, guildId),
        GatewayIntentBits.GuildMessages,
      );
    },
    messageUpdate: (message, guildId) => {
      server.dispatchToGuild(
        guildId,
        GatewayDispatchEvents.MessageUpdate,
        withGuild(message, guildId),
        GatewayIntentBits.GuildMessages,
      );
    },
    messageDelete: (channelId, messageId, guildId) => {
      server.dispatchToGuild(
        guildId,
        GatewayDispatchEvents.MessageDelete,
        { id: messageId, channel_id: channelId, guild_id: guildId },
        GatewayIntentBits.GuildMessages,
      );
    },
    voiceStateUpdate: (voiceState, guildId) => {
      server.dispatchToGuild(
        guildId,
        GatewayDispatchEvents.VoiceStateUpdate,
        voiceState,
        GatewayIntentBits.GuildVoiceStates,
      );
    },
  };
  state.on('guildCreate', handlers.guildCreate);
  state.on('messageCreate', handlers.messageCreate);
  state.on('messageUpdate', handlers.messageUpdate);
  state.on('messageDelete', handlers.messageDelete);
  state.on('voiceStateUpdate', handlers.voiceStateUpdate);
  return () => {
    state.off('guildCreate', handlers.guildCreate);
    state.off('messageCreate', handlers.messageCreate);
    state.off('messageUpdate', handlers.messageUpdate);
    state.off('messageDelete', handlers.messageDelete);
    state.off('voiceStateUpdate', handlers.voiceStateUpdate);
  };
}
