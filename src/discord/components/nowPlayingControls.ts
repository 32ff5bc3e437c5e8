import type { LoopMode } from '../../music/GuildQueueSnapshot.js';
import { UserError } from '../errors/UserError.js';
import { textMessage } from '../presenters/MusicMessage.js';
import { nowPlayingMessage } from '../presenters/nowPlayingMessage.js';
import { safeText } from '../presenters/safeText.js';
import type { ComponentHandler } from './ComponentHandler.js';

/** The loop button cycles off → track → queue → off. */
export function nextLoopMode(mode: LoopMode): LoopMode {
  return mode === 'off' ? 'track' : mode === 'track' ? 'queue' : 'off';
}

/**
 * The now-playing buttons (`np:pause`, `np:skip`, `np:stop`, `np:loop`), under the same `control` rules as the
 * commands. Pause and loop redraw the message in place; skip and stop answer in the channel, saying who did it,
 * because the message they sit on is about to be replaced or retired by the announcer.
 */
export const nowPlayingControls: ComponentHandler = {
  kind: 'np',
  async execute(interaction, action, { music, access }) {
    const { guildId, member } = await access.authorize(interaction, 'control');
    const who = safeText(member.name, 32);
    switch (action) {
      case 'pause': {
        const { paused } = music.nowPlaying(guildId);
        await (paused ? music.resume(guildId) : music.pause(guildId));
        await interaction.update(nowPlayingMessage(music.nowPlaying(guildId)));
        return;
      }
      case 'loop': {
        await music.setLoop(guildId, nextLoopMode(music.nowPlaying(guildId).loop));
        await interaction.update(nowPlayingMessage(music.nowPlaying(guildId)));
        return;
      }
      case 'skip': {
        const skipped = await music.skip(guildId);
        await interaction.reply(textMessage(`⏭️ ${who} skipped **${safeText(skipped.title || 'Untitled')}**.`));
        return;
      }
      case 'stop': {
        await music.stop(guildId);
        await interaction.reply(textMessage(`⏹️ ${who} stopped the music and cleared the queue.`));
        return;
      }
      default:
        throw new UserError('component.unknown', { kind: 'np' });
    }
  },
};
