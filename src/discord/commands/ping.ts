import { SlashCommandBuilder } from 'discord.js';
import type { Command } from './Command.js';

/** `/ping`: gateway heartbeat latency and the REST round trip of the reply itself. */
export const ping: Command = {
  data: new SlashCommandBuilder().setName('ping').setDescription('Check that Metronome is alive and how fast').toJSON(),
  async execute(interaction) {
    const sent = performance.now();
    await interaction.deferReply();
    const restMs = Math.round(performance.now() - sent);
    const gatewayMs = interaction.client.ws.ping;
    const gateway = gatewayMs >= 0 ? `${gatewayMs} ms` : 'measuring…';
    await interaction.editReply(`🏓 Pong! Gateway heartbeat: **${gateway}** · REST round trip: **${restMs} ms**`);
  },
};
