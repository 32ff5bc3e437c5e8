import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { queueMessage } from '../presenters/queueMessage.js';
import type { Command } from './Command.js';

/** `/queue [page]`: one page of the queue, with buttons to the others (see `queuePaging`). */
export const queue: Command = {
  data: new SlashCommandBuilder()
    .setName('queue')
    .setDescription('Show the queue')
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((option) => option.setName('page').setDescription('Page number').setMinValue(1))
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'listen');
    const page = music.queuePage(guildId, interaction.options.getInteger('page') ?? 1);
    await interaction.reply(queueMessage(page));
  },
};
