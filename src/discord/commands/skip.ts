import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { textMessage } from '../presenters/MusicMessage.js';
import { safeText } from '../presenters/safeText.js';
import type { Command } from './Command.js';

/** `/skip`: moves on to the next track. */
export const skip: Command = {
  data: new SlashCommandBuilder()
    .setName('skip')
    .setDescription('Skip the current track')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const skipped = await music.skip(guildId);
    await interaction.reply(textMessage(`⏭️ Skipped **${safeText(skipped.title || 'Untitled')}**.`));
  },
};
