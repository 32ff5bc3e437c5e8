import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { nowPlayingMessage } from '../presenters/nowPlayingMessage.js';
import type { Command } from './Command.js';

/** `/nowplaying`: the current track with a progress bar and the control buttons (see `nowPlayingControls`). */
export const nowplaying: Command = {
  data: new SlashCommandBuilder()
    .setName('nowplaying')
    .setDescription('Show the current track')
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(interaction, { music, access }) {
    const { guildId } = await access.authorize(interaction, 'listen');
    await interaction.reply(nowPlayingMessage(music.nowPlaying(guildId)));
  },
};
