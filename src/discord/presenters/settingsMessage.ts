import { EmbedBuilder } from 'discord.js';
import type { GuildSettingsDefaults, GuildSettingsValues } from '../GuildDataPort.js';
import { MusicColour, type MusicMessage, musicMessage } from './MusicMessage.js';
import { safeText } from './safeText.js';

/** `<@&id>` / `<#id>` for a stored id, which must be a snowflake; anything else is shown as escaped text. */
function mention(prefix: '@&' | '#', id: string): string {
  return /^\d{1,20}$/.test(id) ? `<${prefix}${id}>` : safeText(id, 24);
}

/** `/settings view`: every setting with its value, or the configured default it falls back to. */
export function settingsMessage(values: GuildSettingsValues, defaults: GuildSettingsDefaults): MusicMessage {
  const embed = new EmbedBuilder()
    .setColor(MusicColour)
    .setTitle('Settings')
    .addFields(
      {
        name: 'DJ role',
        value:
          values.djRoleId === null
            ? 'none: everyone in my voice channel can control the music'
            : `${mention('@&', values.djRoleId)}: only members with it (or Manage Server) can control the music`,
      },
      {
        name: 'Default volume',
        value: values.defaultVolume === null ? `${defaults.defaultVolume}% (default)` : `${values.defaultVolume}%`,
        inline: true,
      },
      {
        name: '24/7 channel',
        value: values.alwaysOnChannelId === null ? 'none' : mention('#', values.alwaysOnChannelId),
        inline: true,
      },
      {
        name: 'Command limit',
        value:
          values.throttlePerMinute === null
            ? `${defaults.throttlePerMinute} per member per minute (default)`
            : `${values.throttlePerMinute} per member per minute`,
        inline: true,
      },
    )
    .setFooter({
      text: 'Change one with /settings dj_role, default_volume, always_on or throttle; leave the value out to reset it.',
    });
  return musicMessage([embed.toJSON()]);
}
