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
  channels?: readonly ChannelSpec[];
  roles?: readonly RoleSpec[];
  members?: readonly MemberSpec[];
}
