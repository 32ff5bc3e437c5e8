import { EmbedBuilder, SlashCommandBuilder } from 'discord.js';
import type { Command } from './Command.js';

/** `/about`: version, uptime and the shard serving this guild. */
export const about: Command = {
  data: new SlashCommandBuilder().setName('about').setDescription('What Metronome is and how it is running').toJSON(),
  async execute(interaction, context) {
    const uptimeS = Math.round((Date.now() - context.startedAt) / 1000);
    const embed = new EmbedBuilder()
      .setTitle('Metronome')
      .setDescription('A music bot where everything it does can be seen.')
      .addFields(
        { name: 'Version', value: context.version, inline: true },
        { name: 'Uptime', value: `${uptimeS} s`, inline: true },
        { name: 'Shard', value: String(interaction.guild?.shardId ?? 0), inline: true },
      );
    await interaction.reply({ embeds: [embed] });
  },
};
