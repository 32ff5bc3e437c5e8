import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type APIVoiceState,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GatewayIntentBits,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  type Locale,
  type RoleFlags,
  type UserFlags,
  VideoQualityMode,
} from 'discord-api-types/v10';
import type {
  SandboxChannel,
  SandboxGuild,
  SandboxMember,
  SandboxRole,
  SandboxUser,
  SandboxVoiceState,
} from './SandboxGuild.js';

/** A user as the API renders it to others (no email, no mfa). */
export function userPayload(user: SandboxUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: null,
    avatar_decoration_data: null,
    ...(user.bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** A role object. */
export function rolePayload(role: SandboxRole): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.botId !== null,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(role.botId === null ? {} : { tags: { bot_id: role.botId } }),
  };
}

/** A guild channel; GUILD_CREATE omits `guild_id` on its channels, REST includes it. */
export function channelPayload(channel: SandboxChannel, withGuildId = true): APIChannel {
  const base = {
    id: channel.id,
    name: channel.name,
    position: channel.position,
    permission_overwrites: channel.permissionOverwrites.map(({ id, type, allow, deny }) => ({
      id,
      type,
      allow: allow.toString(),
      deny: deny.toString(),
    })),
    flags: 0,
    ...(withGuildId ? { guild_id: channel.guildId } : {}),
  };
  switch (channel.type) {
    case ChannelType.GuildCategory:
      return { ...base, type: channel.type, parent_id: null };
    case ChannelType.GuildText:
      return {
        ...base,
        type: channel.type,
        parent_id: channel.parentId,
        topic: channel.topic,
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: channel.lastMessageId,
        last_pin_timestamp: null,
      };
    case ChannelType.GuildVoice:
    case ChannelType.GuildStageVoice:
      return {
        ...base,
        type: channel.type,
        parent_id: channel.parentId,
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: channel.lastMessageId,
        bitrate: channel.bitrate,
        user_limit: channel.userLimit,
        rtc_region: null,
        video_quality_mode: VideoQualityMode.Auto,
      };
  }
}

/** A guild member with its user. */
export function memberPayload(member: SandboxMember): APIGuildMember {
  return {
    user: userPayload(member.user),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: member.deaf,
    mute: member.mute,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A voice state; GUILD_CREATE omits `guild_id` and `member`, VOICE_STATE_UPDATE includes both. */
export function voiceStatePayload(guild: SandboxGuild, state: SandboxVoiceState, full: boolean): APIVoiceState {
  const member = guild.members.get(state.userId);
  return {
    ...(full ? { guild_id: guild.id } : {}),
    channel_id: state.channelId,
    user_id: state.userId,
    ...(full && member ? { member: memberPayload(member) } : {}),
    session_id: state.sessionId,
    deaf: state.deaf,
    mute: state.mute,
    self_deaf: state.selfDeaf,
    self_mute: state.selfMute,
    self_video: state.selfVideo,
    suppress: state.suppress,
    request_to_speak_timestamp: state.requestToSpeakTimestamp,
  };
}

/** The voice state a member has after leaving voice. */
export function leftVoiceStatePayload(guild: SandboxGuild, userId: string, sessionId: string): APIVoiceState {
  const member = guild.members.get(userId);
  return {
    guild_id: guild.id,
    channel_id: null,
    user_id: userId,
    ...(member ? { member: memberPayload(member) } : {}),
    session_id: sessionId,
    deaf: member?.deaf ?? false,
    mute: member?.mute ?? false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  };
}

/** The guild object of `GET /guilds/{id}`. */
export function guildPayload(guild: SandboxGuild, applicationId: null | string = null): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles.map(rolePayload),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: applicationId,
    system_channel_id: guild.textChannels[0]?.id ?? null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    max_presences: null,
    max_members: 25_000_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: guild.preferredLocale as Locale,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/**
 * The GUILD_CREATE payload a session with `intents` receives. Like Discord, without the privileged
 * GUILD_MEMBERS intent the member list holds only the bot and members in voice, and voice states need
 * GUILD_VOICE_STATES.
 */
export function guildCreatePayload(
  guild: SandboxGuild,
  intents: number,
  botUserId: string,
  joinedAt: string,
): GatewayGuildCreateDispatchData {
  const hasIntent = (bit: GatewayIntentBits): boolean => (intents & bit) === bit;
  const withVoice = hasIntent(GatewayIntentBits.GuildVoiceStates);
  const members = [...guild.members.values()].filter(
    (m) =>
      hasIntent(GatewayIntentBits.GuildMembers) ||
      m.user.id === botUserId ||
      (withVoice && guild.voiceStates.has(m.user.id)),
  );
  return {
    ...guildPayload(guild),
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: withVoice ? [...guild.voiceStates.values()].map((s) => voiceStatePayload(guild, s, false)) : [],
    members: members.map(memberPayload),
    channels: guild.channels.map((c) => channelPayload(c, false) as GatewayGuildCreateDispatchData['channels'][number]),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
