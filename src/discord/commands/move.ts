import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { textMessage } from '../presenters/MusicMessage.js';
import { safeText } from '../presenters/safeText.js';
import type { Command } from './Command.js';

/** `/move from to`: moves a waiting track to another position. */
export const move: Command = {
  data: new SlashCommandBuilder()
    .setName('move')
    .setDescription('Move a track to another place in the queue')
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((option) =>
      option.setName('from').setDescription('Its number in /queue now').setRequired(true).setMinValue(1),
    )
    .addIntegerOption((option) =>
      option.setName('to').setDescription('The number it should have').setRequired(true).setMinValue(1),
    )
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const to = interaction.options.getInteger('to', true);
    const moved = await music.move(guildId, interaction.options.getInteger('from', true), to);
    await interaction.reply(textMessage(`↕️ Moved **${safeText(moved.title || 'Untitled')}** to position ${to}.`));
  },
};
