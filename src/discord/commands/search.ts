import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { MusicError } from '../../music/MusicError.js';
import { MaxSearchResults, searchResultsMessage } from '../presenters/searchResultsMessage.js';
import type { Command } from './Command.js';

/** `/search query`: up to ten results in a select menu; the pick (see `searchPick`) queues one. */
export const search: Command = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Search for a song and pick one from the results')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => option.setName('query').setDescription('Search words').setRequired(true))
    .toJSON(),
  async execute(interaction, { music, access, searches }) {
    const caller = await access.authorize(interaction, 'request');
    await interaction.deferReply();
    const results = (await music.search(interaction.options.getString('query', true), MaxSearchResults)).slice(
      0,
      MaxSearchResults,
    );
    if (results.length === 0) throw new MusicError('load.no_matches');
    searches.add(interaction.id, { ownerId: interaction.user.id, guildId: caller.guildId, tracks: results });
    await interaction.editReply(searchResultsMessage(interaction.id, results));
  },
};
