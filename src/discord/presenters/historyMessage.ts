import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import type { PlayedTrack } from '../GuildDataPort.js';
import { MusicColour, type MusicMessage, musicMessage, plural } from './MusicMessage.js';
import { EmbedDescriptionLimit, linkedTitle, safeText, truncate } from './safeText.js';

/** Plays per page of `/history`. */
export const HistoryPageSize = 10;
/** Plays `/history` looks back over: five pages. */
export const HistoryLimit = 50;

/** The custom id of a button that shows history page `page` (kind `history`). */
export function historyPageButtonId(page: number): string {
  return `history:${page}`;
}

/**
 * Page `page` (1-based, clamped) of the guild's latest plays, newest first: title linked to its source, artist, who
 * queued it and when it started, with ◀ ▶ buttons to the neighbouring pages.
 */
export function historyMessage(plays: readonly PlayedTrack[], page: number): MusicMessage {
  const pages = Math.max(1, Math.ceil(plays.length / HistoryPageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const first = (current - 1) * HistoryPageSize;
  const lines = plays.slice(first, first + HistoryPageSize).map((play, index) => {
    const at = Math.floor(play.startedAt.getTime() / 1000);
    const by = /^\d{1,20}$/.test(play.memberId) ? ` · <@${play.memberId}>` : '';
    return `\`${first + index + 1}.\` ${linkedTitle(play, 60)} · ${safeText(play.author || 'unknown artist', 32)}${by} · <t:${at}:R>`;
  });
  const embed = new EmbedBuilder()
    .setColor(MusicColour)
    .setTitle('Recently played')
    .setDescription(
      lines.length > 0
        ? truncate(lines.join('\n'), EmbedDescriptionLimit)
        : 'Nothing has been played here yet. Start with /play.',
    )
    .setFooter({ text: `Page ${current}/${pages} · ${plural(plays.length, 'play')}` });
  if (pages <= 1) return musicMessage([embed.toJSON()]);
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(historyPageButtonId(current - 1))
      .setStyle(ButtonStyle.Secondary)
      .setEmoji('◀️')
      .setDisabled(current <= 1),
    new ButtonBuilder()
      .setCustomId(historyPageButtonId(current + 1))
      .setStyle(ButtonStyle.Secondary)
      .setEmoji('▶️')
      .setDisabled(current >= pages),
  );
  return musicMessage([embed.toJSON()], [buttons.toJSON()]);
}
