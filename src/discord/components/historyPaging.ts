import { UserError } from '../errors/UserError.js';
import { HistoryLimit, historyMessage } from '../presenters/historyMessage.js';
import type { ComponentHandler } from './ComponentHandler.js';

/** The ◀ ▶ buttons of `/history` (`history:<page>`): redraw the message with that page. Anyone may page. */
export const historyPaging: ComponentHandler = {
  kind: 'history',
  async execute(interaction, argument, { history }) {
    const page = Number(argument);
    if (!Number.isSafeInteger(page) || page < 1) throw new UserError('component.unknown', { kind: 'history' });
    if (!interaction.inCachedGuild()) throw new UserError('command.guild_only');
    // Acknowledged before the database is asked (Discord drops an interaction not answered within 3 s).
    await interaction.deferUpdate();
    const recent = await history.recentInGuild(interaction.guildId, HistoryLimit);
    await interaction.editReply(historyMessage(recent, page));
  },
};
