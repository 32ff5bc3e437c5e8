import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { formatDuration, formatTrackLength } from '../../music/Track.js';
import type { QueuePage } from '../MusicPort.js';
import { MusicColour, type MusicMessage, musicMessage, plural } from './MusicMessage.js';
import { EmbedDescriptionLimit, linkedTitle, safeText, truncate } from './safeText.js';

/** The custom id of a button that shows queue page `page` (kind `queue`). */
export function queuePageButtonId(page: number): string {
  return `queue:${page}`;
}

/** One page of the queue as an embed, with ◀ ▶ buttons to the neighbouring pages. */
export function queueMessage(page: QueuePage): MusicMessage {
  const lines: string[] = [];
  if (page.current) {
    lines.push(`**Now playing:** ${linkedTitle(page.current, 60)} · \`${formatTrackLength(page.current)}\``, '');
  }
  if (page.tracks.length === 0) {
    lines.push(page.total === 0 ? 'Nothing is waiting. Add tracks with /play.' : 'This page is empty.');
  } else {
    lines.push('**Up next**');
    page.tracks.forEach((track, index) => {
      const position = page.firstPosition + index;
      lines.push(
        `\`${position}.\` ${linkedTitle(track, 60)} · \`${formatTrackLength(track)}\` · ${safeText(track.requester.name, 32)}`,
      );
    });
  }
  const embed = new EmbedBuilder()
    .setColor(MusicColour)
    .setTitle('Queue')
    .setDescription(truncate(lines.join('\n'), EmbedDescriptionLimit))
    .setFooter({
      text: `Page ${page.page}/${Math.max(1, page.pages)} · ${plural(page.total, 'track')} · ${formatDuration(page.totalLengthMs)} · Loop: ${page.loop}`,
    });
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(queuePageButtonId(page.page - 1))
      .setStyle(ButtonStyle.Secondary)
      .setEmoji('◀️')
      .setDisabled(page.page <= 1),
    new ButtonBuilder()
      .setCustomId(queuePageButtonId(page.page + 1))
      .setStyle(ButtonStyle.Secondary)
      .setEmoji('▶️')
      .setDisabled(page.page >= page.pages),
  );
  return musicMessage([embed.toJSON()], [buttons.toJSON()]);
}
