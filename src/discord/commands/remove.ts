import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { textMessage } from '../presenters/MusicMessage.js';
import { safeText } from '../presenters/safeText.js';
import type { Command } from './Command.js';

/** `/remove position`: removes one waiting track (positions as `/queue` numbers them). */
export const remove: Command = {
  data: new SlashCommandBuilder()
    .setName('remove')
    .setDescription('Remove a track from the queue')
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((option) =>
      option.setName('position').setDescription('Its number in /queue').setRequired(true).setMinValue(1),
    )
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const position = interaction.options.getInteger('position', true);
    const removed = await music.remove(guildId, position);
    await interaction.reply(
      textMessage(`🗑️ Removed **${safeText(removed.title || 'Untitled')}** (position ${position}).`),
    );
  },
};
