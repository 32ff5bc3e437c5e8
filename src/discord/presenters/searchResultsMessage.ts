import { ActionRowBuilder, EmbedBuilder, StringSelectMenuBuilder } from 'discord.js';
import { formatTrackLength, type LoadedTrack } from '../../music/Track.js';
import { MusicColour, type MusicMessage, musicMessage } from './MusicMessage.js';
import { safeText, truncate } from './safeText.js';

/** The most results `/search` offers: a select menu takes 25, but ten is what people read. */
export const MaxSearchResults = 10;

/** The custom id of the select menu of search session `sessionId` (kind `search`). */
export function searchSelectId(sessionId: string): string {
  return `search:${sessionId}`;
}

/**
 * The numbered results and a select menu to pick one. Select labels are plain text (Discord renders no markdown
 * there), so they are only cut to the 100-character limit, not escaped.
 */
export function searchResultsMessage(sessionId: string, tracks: readonly LoadedTrack[]): MusicMessage {
  const shown = tracks.slice(0, MaxSearchResults);
  const lines = shown.map(
    (track, index) =>
      `\`${index + 1}.\` **${safeText(track.title || 'Untitled', 70)}** by ${safeText(track.author || 'unknown artist', 40)} · \`${formatTrackLength(track)}\``,
  );
  const embed = new EmbedBuilder()
    .setColor(MusicColour)
    .setTitle('Search results')
    .setDescription(lines.join('\n'))
    .setFooter({ text: 'Pick a track from the menu below. Only the member who searched can pick.' });
  const menu = new StringSelectMenuBuilder()
    .setCustomId(searchSelectId(sessionId))
    .setPlaceholder('Pick a track to queue')
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(
      shown.map((track, index) => ({
        label: truncate(`${index + 1}. ${track.title || 'Untitled'}`, 100),
        description: truncate(`${track.author || 'unknown artist'} · ${formatTrackLength(track)}`, 100),
        value: String(index),
      })),
    );
  return musicMessage([embed.toJSON()], [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu).toJSON()]);
}
