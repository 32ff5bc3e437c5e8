import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { GuildSpec } from './GuildSpec.js';

/** Permissions Discord gives `@everyone` in a new guild (the subset that matters to a music bot). */
export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.Stream |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseVAD |
  PermissionFlagsBits.RequestToSpeak |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.UseEmbeddedActivities;

/** Permissions of the managed role Discord creates for the bot from its invite link. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseVAD |
  PermissionFlagsBits.UseApplicationCommands;

/**
 * The guild a sandbox serves when none is given: one text channel, two voice channels, an admin who owns
 * the guild, a DJ, and two members without roles.
 */
export function defaultGuildSpec(name = 'Metronome Sandbox'): GuildSpec {
  return {
    name,
    channels: [
      { name: 'Text Channels', kind: 'category' },
      { name: 'general', kind: 'text', parent: 'Text Channels', topic: 'Say hi' },
      { name: 'Voice Channels', kind: 'category' },
      { name: 'Lounge', kind: 'voice', parent: 'Voice Channels' },
      { name: 'Music', kind: 'voice', parent: 'Voice Channels', userLimit: 10 },
    ],
    roles: [
      { name: 'Admin', permissions: PermissionFlagsBits.Administrator, color: 0xe74c3c, hoist: true },
      { name: 'DJ', permissions: PermissionFlagsBits.MoveMembers, color: 0x9b59b6 },
    ],
    members: [
      { username: 'alice', globalName: 'Alice', roles: ['Admin'], owner: true },
      { username: 'bob', globalName: 'Bob', roles: ['DJ'] },
      { username: 'carol', globalName: 'Carol' },
      { username: 'dave', globalName: 'Dave' },
    ],
  };
}
