import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { plural, textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/shuffle`: shuffles the waiting tracks. */
export const shuffle: Command = {
  data: new SlashCommandBuilder()
    .setName('shuffle')
    .setDescription('Shuffle the queue')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const count = await music.shuffle(guildId);
    await interaction.reply(textMessage(`🔀 Shuffled ${plural(count, 'track')}.`));
  },
};
