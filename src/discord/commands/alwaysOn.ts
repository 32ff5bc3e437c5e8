import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** `/247 enabled`: stay in the voice channel when idle or alone. */
export const alwaysOn: Command = {
  data: new SlashCommandBuilder()
    .setName('247')
    .setDescription('Stay in the voice channel even when nothing plays or nobody listens')
    .setContexts(InteractionContextType.Guild)
    .addBooleanOption((option) => option.setName('enabled').setDescription('On or off').setRequired(true))
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'control');
    const enabled = interaction.options.getBoolean('enabled', true);
    await music.setAlwaysOn(guildId, enabled);
    await interaction.reply(
      textMessage(
        enabled
          ? '🕒 24/7 on: I stay in the voice channel even when nothing plays or nobody listens.'
          : '🕒 24/7 off: I leave when idle or alone for a while.',
      ),
    );
  },
};
