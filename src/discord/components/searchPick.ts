import { MusicError } from '../../music/MusicError.js';
import type { PlayOutcome } from '../../music/MusicServiceApi.js';
import { UserError } from '../errors/UserError.js';
import { type MusicCaller, toPlayRequest } from '../permissions/MusicAccess.js';
import { playOutcomeMessage } from '../presenters/playOutcomeMessage.js';
import type { ComponentHandler } from './ComponentHandler.js';

/**
 * The select menu of `/search` (`search:<session>`): only the member who searched may pick, under the same `request`
 * rules as `/play`. The pick claims the session before its first await, so a second pick while the first is still
 * joining voice answers `search.expired` instead of queuing the track twice. The results message becomes the play
 * outcome; a refusal (not allowed, a queue limit) puts the session back and leaves the message for another try.
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
    searches.delete(sessionId);
    let caller: MusicCaller;
    try {
      caller = await access.authorize(interaction, 'request');
      // Joining the voice channel and starting playback can outlast the 3 s Discord waits for an answer.
      await interaction.deferUpdate();
    } catch (error) {
      searches.restore(sessionId, session);
      throw error;
    }
    let outcome: PlayOutcome;
    try {
      outcome = await music.enqueue(toPlayRequest(caller, track.uri ?? track.identifier), track);
    } catch (error) {
      // A refusal queued nothing; any other failure may have queued the track, so picking again could double it.
      if (error instanceof MusicError) searches.restore(sessionId, session);
      throw error;
    }
    await interaction.editReply(playOutcomeMessage(outcome));
  },
};
