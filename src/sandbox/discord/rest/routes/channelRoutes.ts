import { type APIMessage, ChannelType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { channelPayload, guildPayload, memberPayload } from '../../state/guildPayloads.js';
import { asMessageBody, type MessageBody, type UploadedFile, validateMessageBody } from '../../state/MessageBody.js';
import { applyMessageEdit, buildMessage } from '../../state/messageFactory.js';
import type { SandboxChannel, SandboxGuild } from '../../state/SandboxGuild.js';
import { ApiErrors, DiscordApiError } from '../DiscordApiError.js';
import type { RouteDefinition } from '../Router.js';
import type { RestContext } from './RestContext.js';

/** Channels, channel messages posted by the bot, guilds, guild members and the bot's stage voice state. */
export function channelRoutes(context: RestContext): RouteDefinition[] {
  const { state } = context;
  const channelOf = (channelId = ''): { guild: SandboxGuild; channel: SandboxChannel } => {
    const found = state.findChannel(channelId);
    if (!found) throw ApiErrors.unknownChannel();
    return found;
  };
  const messageOf = (channelId = '', messageId = ''): APIMessage => {
    channelOf(channelId);
    const message = state.messages.get(channelId, messageId);
    if (!message) throw ApiErrors.unknownMessage();
    return message;
  };
  const guildOf = (guildId = ''): SandboxGuild => {
    const guild = state.guilds.get(guildId);
    if (!guild) throw ApiErrors.unknownGuild();
    return guild;
  };
  return [
    {
      method: 'GET',
      pattern: '/channels/:channelId',
      auth: true,
      majorParameter: 'channelId',
      handle: ({ params }) => ({ status: 200, body: channelPayload(channelOf(params.channelId).channel) }),
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages',
      auth: true,
      majorParameter: 'channelId',
      handle: ({ params, query }) => {
        channelOf(params.channelId);
        const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
        // Discord lists newest first.
        const messages = [...state.messages.list(params.channelId ?? '')].reverse().slice(0, limit);
        return { status: 200, body: messages };
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages',
      auth: true,
      majorParameter: 'channelId',
      handle: ({ params, body: rawBody, files }) => {
        const { guild, channel } = channelOf(params.channelId);
        if (channel.type === ChannelType.GuildCategory) throw ApiErrors.cannotSendInVoiceOnly();
        const body = asMessageBody(rawBody);
        validateMessageBody(body, files, true);
        assertMayPost(guild.permissionsIn(state.bot.id, channel.id), body, files);
        // Channel messages cannot be ephemeral; Discord drops the flag.
        const flags = (body.flags ?? 0) & ~MessageFlags.Ephemeral;
        const message = buildMessage({
          id: state.snowflakes.next(),
          channelId: channel.id,
          author: state.botUser,
          body: { ...body, flags },
          files,
          attachmentBaseUrl: state.attachmentBaseUrl,
          snowflakes: state.snowflakes,
        });
        state.publishMessage(message, guild.id);
        return { status: 200, body: message };
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      majorParameter: 'channelId',
      handle: ({ params }) => ({ status: 200, body: messageOf(params.channelId, params.messageId) }),
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      majorParameter: 'channelId',
      handle: ({ params, body: rawBody, files }) => {
        const current = messageOf(params.channelId, params.messageId);
        if (current.author.id !== state.bot.id) throw ApiErrors.cannotEditOthers();
        const body = asMessageBody(rawBody);
        validateMessageBody(body, files, false);
        const updated = applyMessageEdit(current, body, files, state);
        state.publishEdit(updated, channelOf(params.channelId).guild.id);
        return { status: 200, body: updated };
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      majorParameter: 'channelId',
      handle: ({ params }) => {
        const current = messageOf(params.channelId, params.messageId);
        state.publishDelete(current.channel_id, current.id, channelOf(params.channelId).guild.id);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId',
      auth: true,
      majorParameter: 'guildId',
      handle: ({ params, query }) => {
        const guild = guildOf(params.guildId);
        const counts =
          query.get('with_counts') === 'true'
            ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
            : {};
        return { status: 200, body: { ...guildPayload(guild), ...counts } };
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/channels',
      auth: true,
      majorParameter: 'guildId',
      handle: ({ params }) => ({ status: 200, body: guildOf(params.guildId).channels.map((c) => channelPayload(c)) }),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/members',
      auth: true,
      majorParameter: 'guildId',
      handle: ({ params, query }) => {
        const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 1)));
        const after = BigInt(query.get('after') ?? '0');
        const members = [...guildOf(params.guildId).members.values()]
          .filter((m) => BigInt(m.user.id) > after)
          .sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1))
          .slice(0, limit);
        return { status: 200, body: members.map(memberPayload) };
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/members/:userId',
      auth: true,
      majorParameter: 'guildId',
      handle: ({ params }) => {
        const guild = guildOf(params.guildId);
        const userId = params.userId === '@me' ? state.bot.id : (params.userId ?? '');
        const member = guild.members.get(userId);
        if (!member) throw ApiErrors.unknownMember();
        return { status: 200, body: memberPayload(member) };
      },
    },
    {
      method: 'PATCH',
      // A parameter rather than a literal `@me`: discord.js sends it percent-encoded (`%40me`).
      pattern: '/guilds/:guildId/voice-states/:userId',
      auth: true,
      majorParameter: 'guildId',
      handle: ({ params, body }) => {
        // Other members' stage states (a moderator inviting someone to speak) are not modelled.
        if (params.userId !== '@me') throw ApiErrors.notFound();
        const guild = guildOf(params.guildId);
        const patch = stageStatePatch(guild, state.bot.id, body);
        state.updateStageState(guild, state.bot.id, patch);
        return { status: 204 };
      },
    },
  ];
}

/**
 * Validates a `PATCH /guilds/{guild.id}/voice-states/@me` body as Discord does: `channel_id` must be the stage channel
 * the user is in (else Unknown Voice State, or Cannot execute action on this channel type for another kind of
 * channel), becoming a speaker (`suppress: false`) needs Mute Members there, and asking to speak needs Request to
 * Speak (which @everyone has by default). Withdrawing a request and returning to the audience are always allowed.
 */
function stageStatePatch(
  guild: SandboxGuild,
  userId: string,
  raw: unknown,
): { suppress?: boolean; requestToSpeakTimestamp?: string | null } {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof body.channel_id !== 'string') {
    throw DiscordApiError.invalidFormBody('channel_id', 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  const channel = guild.channel(body.channel_id);
  if (channel?.id !== body.channel_id) throw ApiErrors.unknownChannel();
  if (channel.type !== ChannelType.GuildStageVoice) throw ApiErrors.cannotExecuteOnChannelType();
  if (guild.voiceStates.get(userId)?.channelId !== channel.id) throw ApiErrors.unknownVoiceState();
  const patch: { suppress?: boolean; requestToSpeakTimestamp?: string | null } = {};
  if (body.suppress !== undefined) {
    if (typeof body.suppress !== 'boolean') {
      throw DiscordApiError.invalidFormBody('suppress', 'BASE_TYPE_BOOLEAN', 'Must be either true or false.');
    }
    const mayMute = (guild.permissionsIn(userId, channel.id) & PermissionFlagsBits.MuteMembers) !== 0n;
    if (!body.suppress && !mayMute) throw ApiErrors.missingPermissions();
    patch.suppress = body.suppress;
    // A speaker has no request pending.
    if (!body.suppress) patch.requestToSpeakTimestamp = null;
  }
  const timestamp = body.request_to_speak_timestamp;
  if (timestamp !== undefined && patch.suppress !== false) {
    if (timestamp !== null && (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp)))) {
      throw DiscordApiError.invalidFormBody(
        'request_to_speak_timestamp',
        'DATE_TIME_TYPE_PARSE',
        'Could not parse timestamp. Should be ISO8601.',
      );
    }
    const mayAsk = (guild.permissionsIn(userId, channel.id) & PermissionFlagsBits.RequestToSpeak) !== 0n;
    if (timestamp !== null && !mayAsk) throw ApiErrors.missingPermissions();
    patch.requestToSpeakTimestamp = timestamp;
  }
  return patch;
}

/**
 * Refuses a post the bot's permissions in the channel do not allow, as Discord does: a channel it cannot see is
 * Missing Access; one where it may not send, or may not embed links or attach files that the message has, is Missing
 * Permissions.
 */
function assertMayPost(permissions: bigint, body: MessageBody, files: readonly UploadedFile[]): void {
  const has = (bit: bigint) => (permissions & bit) === bit;
  if (!has(PermissionFlagsBits.ViewChannel)) throw ApiErrors.missingAccess();
  if (!has(PermissionFlagsBits.SendMessages)) throw ApiErrors.missingPermissions();
  if ((body.embeds ?? []).length > 0 && !has(PermissionFlagsBits.EmbedLinks)) throw ApiErrors.missingPermissions();
  if (files.length > 0 && !has(PermissionFlagsBits.AttachFiles)) throw ApiErrors.missingPermissions();
}
