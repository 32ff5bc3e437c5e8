import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { randomSessionId } from '../util/randomToken.js';
import type { SnowflakeGenerator } from '../util/SnowflakeGenerator.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './defaultGuildSpec.js';
import type { ChannelKind, GuildSpec, PermissionOverwriteSpec } from './GuildSpec.js';
import { applyOverwrites, type SandboxOverwrite } from './permissionOverwrites.js';

/** Every permission bit Discord defines; what owners and administrators hold. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** A Discord user known to the sandbox. */
export interface SandboxUser {
  readonly id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

/** A guild channel. */
export interface SandboxChannel {
  readonly id: string;
  readonly guildId: string;
  name: string;
  type: ChannelType.GuildText | ChannelType.GuildVoice | ChannelType.GuildStageVoice | ChannelType.GuildCategory;
  parentId: string | null;
  position: number;
  topic: string | null;
  userLimit: number;
  bitrate: number;
  lastMessageId: string | null;
  permissionOverwrites: SandboxOverwrite[];
}

/** A guild role; the `@everyone` role shares the guild's id. */
export interface SandboxRole {
  readonly id: string;
  name: string;
  permissions: bigint;
  color: number;
  hoist: boolean;
  position: number;
  /** The bot id when this is the bot's managed integration role. */
  botId: string | null;
}

/** A guild member. */
export interface SandboxMember {
  readonly user: SandboxUser;
  roles: string[];
  nick: string | null;
  joinedAt: string;
  deaf: boolean;
  mute: boolean;
}

/** A member's connection to a voice channel. */
export interface SandboxVoiceState {
  readonly userId: string;
  channelId: string;
  sessionId: string;
  selfMute: boolean;
  selfDeaf: boolean;
  selfVideo: boolean;
  deaf: boolean;
  mute: boolean;
  /** In a stage channel: an audience member (true) rather than a speaker. Always false elsewhere. */
  suppress: boolean;
  /** When the member asked to speak in a stage channel (ISO 8601), or null. */
  requestToSpeakTimestamp: string | null;
}

/** What building a guild from a spec needs from the sandbox around it. */
export interface GuildBuildContext {
  readonly id: string;
  readonly snowflakes: SnowflakeGenerator;
  /** Users shared across guilds, so one user id is one user everywhere. */
  readonly users: Map<string, SandboxUser>;
  readonly bot: SandboxUser;
  readonly botRoleName: string;
}

const CHANNEL_TYPES = {
  text: ChannelType.GuildText,
  voice: ChannelType.GuildVoice,
  stage: ChannelType.GuildStageVoice,
  category: ChannelType.GuildCategory,
} as const satisfies Record<ChannelKind, SandboxChannel['type']>;

/** The state of one guild: channels, roles, members and who is in which voice channel. */
export class SandboxGuild {
  public readonly id: string;
  public name: string;
  public preferredLocale: string;
  public ownerId: string;
  public readonly channels: SandboxChannel[] = [];
  public readonly roles: SandboxRole[] = [];
  public readonly members = new Map<string, SandboxMember>();
  public readonly voiceStates = new Map<string, SandboxVoiceState>();

  public constructor(spec: GuildSpec, context: GuildBuildContext) {
    const { snowflakes, users, bot } = context;
    this.id = context.id;
    this.name = spec.name ?? 'Sandbox Guild';
    this.preferredLocale = spec.preferredLocale ?? 'en-US';
    const joinedAt = new Date().toISOString();
    this.roles.push(this.#role(this.id, '@everyone', spec.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS, 0));
    for (const [index, role] of (spec.roles ?? []).entries()) {
      const created = this.#role(role.id ?? snowflakes.next(), role.name, role.permissions ?? 0n, index + 1);
      created.color = role.color ?? 0;
      created.hoist = role.hoist ?? false;
      this.roles.push(created);
    }
    const botPermissions = spec.botPermissions ?? DEFAULT_BOT_PERMISSIONS;
    const botRole = this.#role(snowflakes.next(), context.botRoleName, botPermissions, this.roles.length);
    botRole.botId = bot.id;
    this.roles.push(botRole);

    const positions = new Map<SandboxChannel['type'], number>();
    for (const channel of spec.channels ?? []) {
      const type = CHANNEL_TYPES[channel.kind];
      const position = positions.get(type) ?? 0;
      positions.set(type, position + 1);
      const voice = type === ChannelType.GuildVoice || type === ChannelType.GuildStageVoice;
      this.channels.push({
        id: channel.id ?? snowflakes.next(),
        guildId: this.id,
        name: channel.name,
        type,
        parentId: channel.parent === undefined ? null : (this.channel(channel.parent)?.id ?? null),
        position,
        topic: type === ChannelType.GuildText ? (channel.topic ?? null) : null,
        userLimit: voice ? (channel.userLimit ?? 0) : 0,
        bitrate: voice ? (channel.bitrate ?? 64_000) : 0,
        lastMessageId: null,
        permissionOverwrites: [],
      });
    }

    for (const memberSpec of spec.members ?? []) {
      const id = memberSpec.id ?? snowflakes.next();
      const user = users.get(id) ?? {
        id,
        username: memberSpec.username,
        globalName: memberSpec.globalName ?? null,
        bot: memberSpec.bot ?? false,
      };
      users.set(id, user);
      const roles = (memberSpec.roles ?? []).map((ref) => this.role(ref)?.id).filter((r) => r !== undefined);
      this.members.set(id, { user, roles, nick: memberSpec.nick ?? null, joinedAt, deaf: false, mute: false });
      if (memberSpec.voiceChannel !== undefined) {
        const channel = this.channel(memberSpec.voiceChannel);
        if (channel) this.setVoiceState(id, { channelId: channel.id });
      }
    }
    users.set(bot.id, bot);
    this.members.set(bot.id, { user: bot, roles: [botRole.id], nick: null, joinedAt, deaf: false, mute: false });
    // Overwrites may name members, so they are resolved once every member, the bot included, exists.
    for (const [index, channel] of (spec.channels ?? []).entries()) {
      this.channels[index]!.permissionOverwrites = (channel.permissionOverwrites ?? []).map((o) =>
        this.#overwrite(channel.name, o),
      );
    }

    const humans = [...this.members.values()].filter((m) => !m.user.bot);
    const ownerSpec = spec.members?.find((m) => m.owner);
    const owner = ownerSpec ? this.member(ownerSpec.id ?? ownerSpec.username) : humans[0];
    this.ownerId = owner?.user.id ?? bot.id;
  }

  /** The `@everyone` role. */
  public get everyoneRole(): SandboxRole {
    return this.roles[0]!;
  }

  /** Text channels, in position order. */
  public get textChannels(): SandboxChannel[] {
    return this.channels.filter((c) => c.type === ChannelType.GuildText);
  }

  /** Voice and stage channels, in position order. */
  public get voiceChannels(): SandboxChannel[] {
    return this.channels.filter((c) => c.type === ChannelType.GuildVoice || c.type === ChannelType.GuildStageVoice);
  }

  /** The first text channel's id: where commands run by default. */
  public get textChannelId(): string {
    const channel = this.textChannels[0];
    if (!channel) throw new Error(`Guild ${this.name} has no text channel`);
    return channel.id;
  }

  /** Ids of the voice and stage channels, in position order. */
  public get voiceChannelIds(): string[] {
    return this.voiceChannels.map((c) => c.id);
  }

  /** Ids of the human (non-bot) members, in the order the spec listed them. */
  public get memberIds(): string[] {
    return [...this.members.values()].filter((m) => !m.user.bot).map((m) => m.user.id);
  }

  /** A channel by id or name. */
  public channel(ref: string): SandboxChannel | undefined {
    return this.channels.find((c) => c.id === ref) ?? this.channels.find((c) => c.name === ref);
  }

  /** A role by id or name. */
  public role(ref: string): SandboxRole | undefined {
    return this.roles.find((r) => r.id === ref) ?? this.roles.find((r) => r.name === ref);
  }

  /** A member by user id, username, global name or nickname. */
  public member(ref: string): SandboxMember | undefined {
    const byId = this.members.get(ref);
    if (byId) return byId;
    for (const member of this.members.values()) {
      if (member.user.username === ref || member.user.globalName === ref || member.nick === ref) return member;
    }
    return undefined;
  }

  /** The member's guild-wide permissions, before channel overwrites (see {@link permissionsIn}). */
  public permissionsOf(userId: string): bigint {
    if (userId === this.ownerId) return ALL_PERMISSIONS;
    const member = this.members.get(userId);
    if (!member) return 0n;
    let permissions = this.everyoneRole.permissions;
    for (const roleId of member.roles) permissions |= this.role(roleId)?.permissions ?? 0n;
    return (permissions & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : permissions;
  }

  /**
   * The member's permissions in a channel: the guild-wide ones with the channel's overwrites applied, as Discord (and
   * discord.js' `permissionsFor`) computes them. The owner and administrators hold every permission everywhere.
   */
  public permissionsIn(userId: string, channelRef: string): bigint {
    const base = this.permissionsOf(userId);
    const member = this.members.get(userId);
    const channel = this.channel(channelRef);
    if (!member || !channel || (base & PermissionFlagsBits.Administrator) !== 0n) return base;
    return applyOverwrites(base, channel.permissionOverwrites, { guildId: this.id, userId, roleIds: member.roles });
  }

  /**
   * Whether Discord lets the member connect to a voice channel: it needs View Channel and Connect there, and a channel
   * at its user limit takes nobody new unless they may Move Members (as discord.js' `joinable` judges it). A member
   * already in the channel is not turned away by the limit it counts towards.
   */
  public canJoinVoice(userId: string, channelRef: string): boolean {
    const channel = this.channel(channelRef);
    if (!channel || (channel.type !== ChannelType.GuildVoice && channel.type !== ChannelType.GuildStageVoice)) {
      return false;
    }
    const { Connect, MoveMembers, ViewChannel } = PermissionFlagsBits;
    const permissions = this.permissionsIn(userId, channel.id);
    if ((permissions & (ViewChannel | Connect)) !== (ViewChannel | Connect)) return false;
    if (channel.userLimit === 0 || (permissions & MoveMembers) !== 0n) return true;
    if (this.voiceStates.get(userId)?.channelId === channel.id) return true;
    const occupants = [...this.voiceStates.values()].filter((s) => s.channelId === channel.id).length;
    return occupants < channel.userLimit;
  }

  /**
   * Connects, moves or (with `null`) disconnects a member; returns the new state, or null when disconnected.
   * The voice session id survives moves, as it does on Discord. Like Discord, a member entering a stage channel joins
   * its audience (`suppress`) and a request to speak does not follow a member into another channel.
   */
  public setVoiceState(
    userId: string,
    patch: (Partial<Omit<SandboxVoiceState, 'userId'>> & { channelId: string }) | null,
  ): SandboxVoiceState | null {
    if (patch === null) {
      this.voiceStates.delete(userId);
      return null;
    }
    const previous = this.voiceStates.get(userId);
    const member = this.members.get(userId);
    const stays = previous?.channelId === patch.channelId;
    const next: SandboxVoiceState = {
      userId,
      sessionId: previous?.sessionId ?? randomSessionId(),
      selfMute: previous?.selfMute ?? false,
      selfDeaf: previous?.selfDeaf ?? false,
      selfVideo: false,
      deaf: member?.deaf ?? false,
      mute: member?.mute ?? false,
      suppress: stays ? previous.suppress : this.channel(patch.channelId)?.type === ChannelType.GuildStageVoice,
      requestToSpeakTimestamp: stays ? previous.requestToSpeakTimestamp : null,
      ...patch,
    };
    this.voiceStates.set(userId, next);
    return next;
  }

  #overwrite(channelName: string, spec: PermissionOverwriteSpec): SandboxOverwrite {
    const target = spec.type === OverwriteType.Role ? this.role(spec.id)?.id : this.member(spec.id)?.user.id;
    if (target === undefined) {
      const kind = spec.type === OverwriteType.Role ? 'role' : 'member';
      throw new Error(`Channel ${channelName} has an overwrite for an unknown ${kind} ${spec.id}`);
    }
    return { id: target, type: spec.type, allow: BigInt(spec.allow ?? 0n), deny: BigInt(spec.deny ?? 0n) };
  }

  #role(id: string, name: string, permissions: bigint, position: number): SandboxRole {
    return { id, name, permissions, color: 0, hoist: false, position, botId: null };
  }
}
