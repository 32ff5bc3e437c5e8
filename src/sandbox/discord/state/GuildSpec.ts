import type { OverwriteType } from 'discord-api-types/v10';

/** The kinds of guild channel the sandbox models. */
export type ChannelKind = 'text' | 'voice' | 'stage' | 'category';

/** A channel to create in a sandbox guild. */
export interface ChannelSpec {
  id?: string;
  name: string;
  kind: ChannelKind;
  /** Name or id of the category this channel sits in. */
  parent?: string;
  topic?: string;
  userLimit?: number;
  bitrate?: number;
  /** The channel's permission overwrites; none by default. */
  permissionOverwrites?: readonly PermissionOverwriteSpec[];
}

/**
 * A channel permission overwrite in Discord's shape (`{ id, type, allow, deny }`). `id` may also be a name: a role's
 * for `type` 0 (`@everyone` is the guild's id or that name; the bot's managed role is named after the application),
 * a member's username, global name or nickname for `type` 1 (the bot's username is the application name in lower
 * case). `allow` and `deny` are bitfields, as numbers or as Discord's decimal strings.
 */
export interface PermissionOverwriteSpec {
  id: string;
  type: OverwriteType;
  allow?: bigint | string;
  deny?: bigint | string;
}

/** A role to create in a sandbox guild (the `@everyone` role is always created). */
export interface RoleSpec {
  id?: string;
  name: string;
  /** Permission bitfield, e.g. `PermissionFlagsBits.Administrator`. */
  permissions?: bigint;
  color?: number;
  hoist?: boolean;
}

/** A member (and its user) to create in a sandbox guild. */
export interface MemberSpec {
  id?: string;
  username: string;
  globalName?: string;
  nick?: string;
  bot?: boolean;
  /** Names or ids of the member's roles. */
  roles?: readonly string[];
  /** Marks the guild owner; defaults to the first human member. */
  owner?: boolean;
  /** Name or id of the voice channel the member is connected to at start. */
  voiceChannel?: string;
}

/** A guild the sandbox serves; everything is optional, and the bot's own member is added automatically. */
export interface GuildSpec {
  id?: string;
  name?: string;
  preferredLocale?: string;
  /** Permissions of the `@everyone` role. */
  everyonePermissions?: bigint;
  /** Permissions of the bot's managed role; default `DEFAULT_BOT_PERMISSIONS`. */
  botPermissions?: bigint;
  channels?: readonly ChannelSpec[];
  roles?: readonly RoleSpec[];
  members?: readonly MemberSpec[];
}
