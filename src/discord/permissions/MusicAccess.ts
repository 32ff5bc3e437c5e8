import { trace } from '@opentelemetry/api';
import { type BaseInteraction, ChannelType, PermissionFlagsBits, type VoiceBasedChannel } from 'discord.js';
import { MusicError } from '../../music/MusicError.js';
import type { TrackOrigin, TrackRequester } from '../../music/Track.js';
import { UserError } from '../errors/UserError.js';
import type { MusicPort, PlayRequest } from '../MusicPort.js';
import { type AccessFacts, type AccessLevel, accessRefusal, type JoinBlocker } from './accessRules.js';
import type { GuildSettingsProvider } from './GuildSettingsProvider.js';

/** Who is asking, where, as the music service wants it. Only returned once the member was allowed. */
export interface MusicCaller {
  readonly guildId: string;
  readonly shardId: number;
  readonly textChannelId: string;
  /** The member's voice channel; never null for `request` access. */
  readonly voiceChannelId: string | null;
  readonly member: TrackRequester;
  /** The active span (the command's or the component's), for the `track play` span link. */
  readonly origin: TrackOrigin | undefined;
}

/**
 * The permission gate of every music interaction: a guild, music configured, and the {@link accessRefusal} rules. The
 * bot's voice channel comes from the music service (what it plays in), the DJ role from the guild settings.
 */
export class MusicAccess {
  constructor(
    private readonly music: Pick<MusicPort, 'enabled' | 'voiceChannelOf'>,
    private readonly settings: GuildSettingsProvider,
  ) {}

  /** @throws {UserError} why the member may not act at `level`; {MusicError} `music.not_configured`. */
  async authorize(interaction: BaseInteraction, level: AccessLevel): Promise<MusicCaller> {
    if (!interaction.inCachedGuild() || interaction.channelId === null) throw new UserError('command.guild_only');
    if (!this.music.enabled) throw new MusicError('music.not_configured');
    const { guildId, member } = interaction;
    const memberManagesGuild = interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild);
    // The DJ role only matters for `control`, and never to a member who manages the server: do not ask the settings
    // store for every /play, and let such a member control the music while the database is down.
    const djRoleId = level === 'control' && !memberManagesGuild ? await this.settings.djRoleId(guildId) : null;
    const facts: AccessFacts = {
      memberVoiceChannelId: member.voice.channelId,
      botVoiceChannelId: this.music.voiceChannelOf(guildId) ?? null,
      djRoleId,
      memberHasDjRole: djRoleId !== null && member.roles.cache.has(djRoleId),
      memberManagesGuild,
      joinBlocker: joinBlocker(member.voice.channel),
    };
    const refusal = accessRefusal(level, facts);
    if (refusal) {
      const channel = facts.memberVoiceChannelId;
      throw new UserError(refusal, channel === null ? { access: level } : { access: level, channel_id: channel });
    }
    const span = trace.getActiveSpan()?.spanContext();
    return {
      guildId,
      shardId: interaction.guild.shardId,
      textChannelId: interaction.channelId,
      voiceChannelId: facts.memberVoiceChannelId,
      member: { id: member.id, name: member.displayName },
      origin: span ? { traceId: span.traceId, spanId: span.spanId } : undefined,
    };
  }
}

/**
 * Why the bot cannot join `channel`, from discord.js' `joinable` (View Channel and Connect, a timeout, and a full
 * channel without Move Members). A bot already in the channel is never blocked: `joinable` is false once it fills the
 * channel itself.
 */
function joinBlocker(channel: VoiceBasedChannel | null): JoinBlocker | null {
  const me = channel?.guild.members.me;
  if (!channel || channel.joinable || me?.voice.channelId === channel.id) return null;
  // `joinable` folds the checks together; "full" is only the answer when the bot could join were there room (a
  // stage has no user limit for it, and a timed-out bot may join nothing).
  const couldConnect =
    me !== undefined &&
    me !== null &&
    !me.isCommunicationDisabled() &&
    channel.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.Connect]);
  return channel.type === ChannelType.GuildVoice && channel.full && couldConnect ? 'full' : 'forbidden';
}

/** The play request of an authorized caller; `request` access guarantees the voice channel. */
export function toPlayRequest(caller: MusicCaller, query: string): PlayRequest {
  if (caller.voiceChannelId === null) throw new UserError('voice.not_in_channel');
  return {
    guildId: caller.guildId,
    member: caller.member,
    origin: caller.origin,
    query,
    voiceChannelId: caller.voiceChannelId,
    textChannelId: caller.textChannelId,
    shardId: caller.shardId,
  };
}
