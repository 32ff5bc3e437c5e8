import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/resume`: resumes a paused track. */
export const resume: Command = {
  data: new SlashCommandBuilder()
    .setName('resume')
    .setDescription('Resume the paused track')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    await music.resume(guildId);
    await interaction.reply(textMessage('▶️ Resumed.'));
  },
};
