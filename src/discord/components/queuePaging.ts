import { UserError } from '../errors/UserError.js';
import { queueMessage } from '../presenters/queueMessage.js';
import type { ComponentHandler } from './ComponentHandler.js';

/** The ◀ ▶ buttons of `/queue` (`queue:<page>`): redraw the message with that page. Anyone may page. */
export const queuePaging: ComponentHandler = {
  kind: 'queue',
  async execute(interaction, argument, { music, access }) {
    const page = Number(argument);
    if (!Number.isSafeInteger(page) || page < 1) throw new UserError('component.unknown', { kind: 'queue' });
    const { guildId } = await access.authorize(interaction, 'listen');
    await interaction.update(queueMessage(music.queuePage(guildId, page)));
  },
};
