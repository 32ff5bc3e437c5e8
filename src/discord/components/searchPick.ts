import { UserError } from '../errors/UserError.js';
import { toPlayRequest } from '../permissions/MusicAccess.js';
import { playOutcomeMessage } from '../presenters/playOutcomeMessage.js';
import type { ComponentHandler } from './ComponentHandler.js';

/**
 * The select menu of `/search` (`search:<session>`): only the member who searched may pick, under the same `request`
 * rules as `/play`. The results message becomes the play outcome; a refusal leaves it in place for another try.
 */
export const searchPick: ComponentHandler = {
  kind: 'search',
  async execute(interaction, sessionId, { music, access, searches }) {
    if (!interaction.isStringSelectMenu()) throw new UserError('component.unknown', { kind: 'search' });
    const session = searches.get(sessionId);
    if (!session) throw new UserError('search.expired');
    if (session.ownerId !== interaction.user.id) throw new UserError('search.not_yours');
    const track = session.tracks[Number(interaction.values[0])];
    if (!track) throw new UserError('component.unknown', { kind: 'search' });
    const caller = await access.authorize(interaction, 'request');
    // Joining the voice channel and starting playback can outlast the 3 s Discord waits for an answer.
    await interaction.deferUpdate();
    const outcome = await music.enqueue(toPlayRequest(caller, track.uri ?? track.identifier), track);
    searches.delete(sessionId);
    await interaction.editReply(playOutcomeMessage(outcome));
  },
};
