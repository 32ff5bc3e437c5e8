import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { formatDuration } from '../../music/Track.js';
import { parsePosition } from '../input/parsePosition.js';
import { textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/seek position`: jumps to `1:23`, `1:02:03` or a number of seconds. */
export const seek: Command = {
  data: new SlashCommandBuilder()
    .setName('seek')
    .setDescription('Jump to a position in the current track')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName('position')
        .setDescription('Like 1:23, 1:02:03 or 83 (seconds)')
        .setRequired(true)
        .setMaxLength(12),
    )
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const positionMs = parsePosition(interaction.options.getString('position', true));
    await music.seek(guildId, positionMs);
    await interaction.reply(textMessage(`⏩ Jumped to **${formatDuration(positionMs)}**.`));
  },
};
