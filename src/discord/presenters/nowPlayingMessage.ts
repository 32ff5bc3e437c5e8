import { ActionRowBuilder, type APIEmbed, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { FilterPresetLabels } from '../../music/FilterPresets.js';
import type { NowPlaying } from '../MusicPort.js';
import { MusicColour, type MusicMessage, musicMessage } from './MusicMessage.js';
import { progressLine } from './progressBar.js';
import { linkedTitle, safeText, safeUrl } from './safeText.js';

/** Custom ids of the now-playing buttons (kind `np`). */
export const NowPlayingButtonIds = {
  pause: 'np:pause',
  skip: 'np:skip',
  stop: 'np:stop',
  loop: 'np:loop',
} as const;

/** The embed of `/nowplaying` and of the announcer's now-playing message. */
export function nowPlayingEmbed(np: NowPlaying): APIEmbed {
  const { track } = np;
  const embed = new EmbedBuilder()
    .setColor(MusicColour)
    .setAuthor({ name: np.paused ? '⏸️ Paused' : '🎶 Now playing' })
    .setDescription(
      [
        `**${linkedTitle(track, 120)}**`,
        `by ${safeText(track.author || 'unknown artist', 60)}`,
        '',
        progressLine(track, np.positionMs),
      ].join('\n'),
    )
    .addFields(
      { name: 'Requested by', value: safeText(track.requester.name, 32) || 'someone', inline: true },
      { name: 'Volume', value: `${np.volume}%`, inline: true },
      { name: 'Loop', value: np.loop, inline: true },
    )
    .setFooter({ text: `Node: ${np.node}` });
  if (np.filter !== 'off') embed.addFields({ name: 'Filter', value: FilterPresetLabels[np.filter], inline: true });
  if (np.alwaysOn) embed.addFields({ name: '24/7', value: 'on', inline: true });
  const artwork = safeUrl(track.artworkUrl);
  if (artwork) embed.setThumbnail(artwork);
  return embed.toJSON();
}

/** Pause/resume, skip, stop and loop, reflecting the current state. */
export function nowPlayingButtons(np: Pick<NowPlaying, 'paused' | 'loop'>) {
  return new ActionRowBuilder<ButtonBuilder>()
    .addComponents(
      new ButtonBuilder()
        .setCustomId(NowPlayingButtonIds.pause)
        .setStyle(ButtonStyle.Primary)
        .setEmoji(np.paused ? '▶️' : '⏸️')
        .setLabel(np.paused ? 'Resume' : 'Pause'),
      new ButtonBuilder()
        .setCustomId(NowPlayingButtonIds.skip)
        .setStyle(ButtonStyle.Secondary)
        .setEmoji('⏭️')
        .setLabel('Skip'),
      new ButtonBuilder()
        .setCustomId(NowPlayingButtonIds.stop)
        .setStyle(ButtonStyle.Danger)
        .setEmoji('⏹️')
        .setLabel('Stop'),
      new ButtonBuilder()
        .setCustomId(NowPlayingButtonIds.loop)
        .setStyle(np.loop === 'off' ? ButtonStyle.Secondary : ButtonStyle.Success)
        .setEmoji('🔁')
        .setLabel(`Loop: ${np.loop}`),
    )
    .toJSON();
}

/** The now-playing embed with its buttons. */
export function nowPlayingMessage(np: NowPlaying): MusicMessage {
  return musicMessage([nowPlayingEmbed(np)], [nowPlayingButtons(np)]);
}
