import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { FilterPresetLabels, FilterPresetNames, isFilterPresetName } from '../../music/FilterPresets.js';
import { UserError } from '../errors/UserError.js';
import { textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/filter preset`: one of the Lavalink filter presets, or off. */
export const filter: Command = {
  data: new SlashCommandBuilder()
    .setName('filter')
    .setDescription('Apply an audio filter')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName('preset')
        .setDescription('The filter')
        .setRequired(true)
        .addChoices(FilterPresetNames.map((name) => ({ name: FilterPresetLabels[name], value: name }))),
    )
    .toJSON(),
  async execute(interaction, { music, access }) {
    const preset = interaction.options.getString('preset', true);
    // Discord only sends the registered choices; anything else was not sent by a Discord client.
    if (!isFilterPresetName(preset)) throw new UserError('interaction.malformed', { option: 'preset' });
    const { guildId } = await access.authorize(interaction, 'control');
    await music.setFilter(guildId, preset);
    const reply = preset === 'off' ? '🎛️ Filters off.' : `🎛️ Filter **${FilterPresetLabels[preset]}** on.`;
    await interaction.reply(textMessage(reply));
  },
};
