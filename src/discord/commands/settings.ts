import {
  ChannelType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import { MaxVolume } from '../../music/GuildQueueSnapshot.js';
import { UserError } from '../errors/UserError.js';
import type { GuildSettingsStore, GuildSettingsUpdate } from '../GuildDataPort.js';
import { type MusicMessage, textMessage } from '../presenters/MusicMessage.js';
import { settingsMessage } from '../presenters/settingsMessage.js';
import type { Command } from './Command.js';

/** The highest per-guild command limit `/settings throttle` accepts. */
export const MaxThrottlePerMinute = 600;

/**
 * `/settings`: view (`view`) or change (`dj_role`, `default_volume`, `always_on`, `throttle`) the guild's settings.
 * A change without its value resets the setting to the configured default. Manage Server only: Discord hides the
 * command from other members (default member permissions), and the handler checks again, since server admins can
 * override who sees a command.
 */
export const settings: Command = {
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription("View or change the bot's settings for this server")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((sub) => sub.setName('view').setDescription('Show the settings'))
    .addSubcommand((sub) =>
      sub
        .setName('dj_role')
        .setDescription('Only members with this role may control the music; leave it out to let everyone')
        .addRoleOption((option) => option.setName('role').setDescription('The DJ role')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('default_volume')
        .setDescription('The volume I start playing at; leave it out for the default')
        .addIntegerOption((option) =>
          option
            .setName('level')
            .setDescription(`Percent, 0 to ${MaxVolume} (100 is unchanged)`)
            .setMinValue(0)
            .setMaxValue(MaxVolume),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('always_on')
        .setDescription('A voice channel where 24/7 is on whenever I join it; leave it out for none')
        .addChannelOption((option) =>
          option
            .setName('channel')
            .setDescription('The voice channel')
            .addChannelTypes(ChannelType.GuildVoice, ChannelType.GuildStageVoice),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('throttle')
        .setDescription('Commands each member may send per minute here; leave it out for the default')
        .addIntegerOption((option) =>
          option
            .setName('per_minute')
            .setDescription(`1 to ${MaxThrottlePerMinute}`)
            .setMinValue(1)
            .setMaxValue(MaxThrottlePerMinute),
        ),
    )
    .toJSON(),
  async execute(interaction, { settings: store }) {
    if (!interaction.inCachedGuild()) throw new UserError('command.guild_only');
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserError('permission.manage_guild_required');
    }
    // Acknowledged before the database is asked: Discord drops an interaction not answered within 3 s, and a slow
    // database must end in the outage reply, not in "The application did not respond".
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply(await answer(interaction, store, interaction.guildId));
  },
};

async function answer(
  interaction: ChatInputCommandInteraction,
  store: GuildSettingsStore,
  guildId: string,
): Promise<MusicMessage> {
  const subcommand = interaction.options.getSubcommand(false);
  if (subcommand === 'view') return settingsMessage(await store.get(guildId), store.defaults);
  const change = changeOf(interaction, subcommand);
  const stored = await store.update(guildId, change.update);
  return textMessage(change.describe(stored));
}

interface Change {
  readonly update: GuildSettingsUpdate;
  readonly describe: (stored: Awaited<ReturnType<GuildSettingsStore['update']>>) => string;
}

function changeOf(interaction: ChatInputCommandInteraction, subcommand: string | null): Change {
  const { options } = interaction;
  switch (subcommand) {
    case 'dj_role': {
      const role = options.getRole('role');
      return {
        update: { djRoleId: role?.id ?? null },
        describe: ({ djRoleId }) =>
          djRoleId === null
            ? '🎧 DJ role removed: everyone in my voice channel can control the music.'
            : `🎧 DJ role set to <@&${djRoleId}>: only members with it (or Manage Server) can control the music.`,
      };
    }
    case 'default_volume': {
      const level = options.getInteger('level');
      return {
        update: { defaultVolume: level },
        describe: ({ defaultVolume }) =>
          defaultVolume === null
            ? '🔊 Default volume reset: I start at the configured volume.'
            : `🔊 Default volume set to **${defaultVolume}%** (from the next time I join).`,
      };
    }
    case 'always_on': {
      const channel = options.getChannel('channel');
      return {
        update: { alwaysOnChannelId: channel?.id ?? null },
        describe: ({ alwaysOnChannelId }) =>
          alwaysOnChannelId === null
            ? '🕒 No 24/7 channel: I leave any channel when idle or alone (unless /247 is on).'
            : `🕒 24/7 is on whenever I join <#${alwaysOnChannelId}> (from the next time I join).`,
      };
    }
    case 'throttle': {
      const perMinute = options.getInteger('per_minute');
      return {
        update: { throttlePerMinute: perMinute },
        describe: ({ throttlePerMinute }) =>
          throttlePerMinute === null
            ? '⏱️ Command limit reset to the default.'
            : `⏱️ Each member may send **${throttlePerMinute}** commands per minute here.`,
      };
    }
    default:
      throw new UserError('interaction.malformed', { subcommand: String(subcommand).slice(0, 32) });
  }
}
