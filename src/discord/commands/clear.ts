import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { plural, textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/clear`: removes every waiting track; the current one keeps playing. */
export const clear: Command = {
  data: new SlashCommandBuilder()
    .setName('clear')
    .setDescription('Remove every waiting track (the current one keeps playing)')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const count = await music.clear(guildId);
    await interaction.reply(textMessage(`🧹 Removed ${plural(count, 'track')} from the queue.`));
  },
};
