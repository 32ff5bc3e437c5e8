import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { MaxVolume } from '../../music/GuildQueueSnapshot.js';
import { textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/volume level`: 0 to 200 percent. */
export const volume: Command = {
  data: new SlashCommandBuilder()
    .setName('volume')
    .setDescription('Set the volume')
    .setContexts(InteractionContextType.Guild)
    .addIntegerOption((option) =>
      option
        .setName('level')
        .setDescription(`Percent, 0 to ${MaxVolume} (100 is unchanged)`)
        .setRequired(true)
        .setMinValue(0)
        .setMaxValue(MaxVolume),
    )
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const level = interaction.options.getInteger('level', true);
    await music.setVolume(guildId, level);
    await interaction.reply(textMessage(`${level === 0 ? '🔇' : '🔊'} Volume set to **${level}%**.`));
  },
};
