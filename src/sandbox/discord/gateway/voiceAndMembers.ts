import { randomBytes } from 'node:crypto';
import {
  GatewayDispatchEvents,
  type GatewayGuildMembersChunkDispatchData,
  type GatewayVoiceServerUpdateDispatchData,
} from 'discord-api-types/v10';
import { memberPayload } from '../state/guildPayloads.js';
import type { GatewayServer } from './GatewayServer.js';
import type { GatewaySession } from './GatewaySession.js';

interface VoiceStateData {
  guild_id?: unknown;
  channel_id?: unknown;
  self_mute?: unknown;
  self_deaf?: unknown;
}

interface RequestMembersData {
  guild_id?: unknown;
  query?: unknown;
  limit?: unknown;
  user_ids?: unknown;
  presences?: unknown;
  nonce?: unknown;
}

/**
 * The order of the two events that answer an op 4 opening a voice connection. Discord guarantees none: `state_first`
 * is the common one, `server_first` happens in production too (discord.js issue #11553).
 */
export type VoiceEventOrder = 'state_first' | 'server_first';

/**
 * Op 4: moves the bot's voice state (VOICE_STATE_UPDATE goes to every session of the guild's shard with
 * GUILD_VOICE_STATES) and, when the bot joins or changes channel, or rejoins from a new gateway session (after a
 * restart), sends this session a VOICE_SERVER_UPDATE, before or after the state update as `voiceEventOrder()` says.
 * Like Discord, requests for unknown guilds or non-voice channels, and joins the bot may not make (no View Channel or
 * Connect, or a full channel without Move Members; see `SandboxGuild.canJoinVoice`), are silently ignored: nothing
 * is dispatched and the bot's voice state does not change.
 */
export function handleVoiceStateUpdate(server: GatewayServer, session: GatewaySession, raw: unknown): void {
  const { state, voiceEndpoint } = server.init;
  const d = (raw ?? {}) as VoiceStateData;
  const guild = typeof d.guild_id === 'string' ? state.guilds.get(d.guild_id) : undefined;
  if (!guild || !session.handles(guild.id)) return;
  const channelId = typeof d.channel_id === 'string' ? d.channel_id : null;
  if (channelId !== null && !guild.canJoinVoice(state.bot.id, channelId)) return;
  const previous = guild.voiceStates.get(state.bot.id);
  // A new gateway session joining the channel its predecessor was in (a restart) is a new voice connection too.
  const opensConnection =
    channelId !== null && (channelId !== previous?.channelId || previous.sessionId !== session.id);
  const voiceServer: GatewayVoiceServerUpdateDispatchData | null = opensConnection
    ? { token: randomBytes(8).toString('hex'), guild_id: guild.id, endpoint: voiceEndpoint }
    : null;
  const order = server.init.voiceEventOrder();
  if (voiceServer && order === 'server_first') {
    server.dispatch(session, GatewayDispatchEvents.VoiceServerUpdate, voiceServer);
  }
  state.moveMember(guild, state.bot.id, channelId, {
    sessionId: session.id,
    selfMute: d.self_mute === true,
    selfDeaf: d.self_deaf === true,
  });
  if (voiceServer && order === 'state_first') {
    server.dispatch(session, GatewayDispatchEvents.VoiceServerUpdate, voiceServer);
  }
}

/** Op 8: answers with one GUILD_MEMBERS_CHUNK per requested guild. */
export function handleRequestGuildMembers(server: GatewayServer, session: GatewaySession, raw: unknown): void {
  const { state } = server.init;
  const d = (raw ?? {}) as RequestMembersData;
  const guildIds = (Array.isArray(d.guild_id) ? d.guild_id : [d.guild_id]).filter((id) => typeof id === 'string');
  const userIds = d.user_ids === undefined ? null : (Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids]).map(String);
  const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
  const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
  for (const guildId of guildIds) {
    const guild = state.guilds.get(guildId);
    if (!guild || !session.handles(guildId)) continue;
    const all = [...guild.members.values()];
    const members = userIds
      ? all.filter((m) => userIds.includes(m.user.id))
      : all
          .filter(
            (m) => m.user.username.toLowerCase().startsWith(query) || (m.nick ?? '').toLowerCase().startsWith(query),
          )
          .slice(0, limit);
    const chunk: GatewayGuildMembersChunkDispatchData = {
      guild_id: guildId,
      members: members.map(memberPayload),
      chunk_index: 0,
      chunk_count: 1,
      ...(userIds ? { not_found: userIds.filter((id) => !guild.members.has(id)) } : {}),
      ...(d.presences === true ? { presences: [] } : {}),
      ...(typeof d.nonce === 'string' ? { nonce: d.nonce } : {}),
    };
    server.dispatch(session, GatewayDispatchEvents.GuildMembersChunk, chunk);
  }
}
