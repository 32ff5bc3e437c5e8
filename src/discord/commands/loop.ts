import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { type LoopMode, LoopModes } from '../../music/GuildQueueSnapshot.js';
import { UserError } from '../errors/UserError.js';
import { textMessage } from '../presenters/MusicMessage.js';
import type { Command } from './Command.js';

/** What each loop mode does, for the option's choices and the reply. */
export const LoopModeDescriptions: Readonly<Record<LoopMode, string>> = Object.freeze({
  off: 'play the queue once',
  track: 'repeat the current track',
  queue: 'replay the queue when it ends',
});

/** `/loop mode`: off, track or queue. */
export const loop: Command = {
  data: new SlashCommandBuilder()
    .setName('loop')
    .setDescription('Repeat the current track or the whole queue')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName('mode')
        .setDescription('What to repeat')
        .setRequired(true)
        .addChoices(LoopModes.map((mode) => ({ name: `${mode}: ${LoopModeDescriptions[mode]}`, value: mode }))),
    )
    .toJSON(),
  async execute(interaction, { music, access }) {
    const mode = interaction.options.getString('mode', true);
    // Discord only sends the registered choices; anything else was not sent by a Discord client.
    if (!isLoopMode(mode)) throw new UserError('interaction.malformed', { option: 'mode' });
    const { guildId } = await access.authorize(interaction, 'control');
    await music.setLoop(guildId, mode);
    await interaction.reply(textMessage(`🔁 Loop **${mode}**: ${LoopModeDescriptions[mode]}.`));
  },
};

function isLoopMode(value: string): value is LoopMode {
  return (LoopModes as readonly string[]).includes(value);
}
