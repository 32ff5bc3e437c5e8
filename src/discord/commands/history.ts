import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../errors/UserError.js';
import { HistoryLimit, historyMessage } from '../presenters/historyMessage.js';
import type { Command } from './Command.js';

/** `/history [page]`: the latest plays in this server, ten a page, with buttons to the others (see `historyPaging`). */
export const history: Command = {
  data: new SlashCommandBuilder()
    .setName('history')
    .setDescription('Show what was played recently in this server')
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((option) => option.setName('page').setDescription('Page number').setMinValue(1))
    .toJSON(),
  async execute(interaction, { history: plays }) {
    if (!interaction.inCachedGuild()) throw new UserError('command.guild_only');
    // Acknowledged before the database is asked (Discord drops an interaction not answered within 3 s).
    await interaction.deferReply();
    const recent = await plays.recentInGuild(interaction.guildId, HistoryLimit);
    await interaction.editReply(historyMessage(recent, interaction.options.getInteger('page') ?? 1));
  },
};
