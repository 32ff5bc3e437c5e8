import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { toPlayRequest } from '../permissions/MusicAccess.js';
import { playOutcomeMessage } from '../presenters/playOutcomeMessage.js';
import { truncate } from '../presenters/safeText.js';
import type { Command } from './Command.js';

/** Discord's limits on an autocomplete choice. */
const ChoiceNameLimit = 100;
const ChoiceValueLimit = 100;
/** Fewer typed characters than this get no suggestions: one letter matches everything and costs a search. */
const MinimumTypedForSuggestions = 2;

/** `/play query`: loads a search or a link and queues it, joining the member's voice channel. */
export const play: Command = {
  data: new SlashCommandBuilder()
    .setName('play')
    .setDescription('Play a song or playlist: search words or an http(s) link')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option.setName('query').setDescription('Search words or a link').setRequired(true).setAutocomplete(true),
    )
    .toJSON(),
  async execute(interaction, { music, access }) {
    const caller = await access.authorize(interaction, 'request');
    // Loading resolves the link's host and asks Lavalink: longer than the 3 s Discord waits for a first answer.
    await interaction.deferReply();
    const outcome = await music.play(toPlayRequest(caller, interaction.options.getString('query', true)));
    await interaction.editReply(playOutcomeMessage(outcome));
  },
  async autocomplete(interaction, { music }) {
    const typed = interaction.options.getFocused();
    if (typed.trim().length < MinimumTypedForSuggestions) return [];
    const suggestions = await music.autocomplete(typed);
    return suggestions
      .filter((choice) => choice.value.length > 0 && choice.value.length <= ChoiceValueLimit)
      .map((choice) => ({ name: truncate(choice.name || choice.value, ChoiceNameLimit), value: choice.value }));
  },
};
