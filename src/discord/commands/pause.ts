import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/pause`: pauses the current track. */
export const pause: Command = {
  data: new SlashCommandBuilder()
    .setName('pause')
    .setDescription('Pause the current track')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    await music.pause(guildId);
    await interaction.reply(textMessage('⏸️ Paused. Use /resume to carry on.'));
  },
};
