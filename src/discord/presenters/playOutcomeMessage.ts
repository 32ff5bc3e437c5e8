import { type APIEmbed, EmbedBuilder } from 'discord.js';
import { formatTrackLength, type LoadedTrack } from '../../music/Track.js';
import type { PlayOutcome } from '../MusicPort.js';
import { MusicColour, type MusicMessage, musicMessage, plural } from './MusicMessage.js';
import { linkedTitle, safeText, safeUrl } from './safeText.js';

/** `**[Title](uri)** by Author · 03:45`: a track on one line of a reply. */
export function trackLine(track: LoadedTrack): string {
  return `**${linkedTitle(track)}** by ${safeText(track.author || 'unknown artist', 60)} · \`${formatTrackLength(track)}\``;
}

/** What `/play` (and a `/search` pick) did: what was added or started, and why anything was left out. */
export function playOutcomeEmbed(outcome: PlayOutcome): APIEmbed {
  const [first] = outcome.tracks;
  const lines: string[] = [];
  if (!first) {
    lines.push('Nothing was added.');
  } else if (outcome.playlistName !== undefined || outcome.tracks.length > 1) {
    const from = outcome.playlistName !== undefined ? ` from **${safeText(outcome.playlistName)}**` : '';
    lines.push(`📃 Added **${plural(outcome.tracks.length, 'track')}**${from}.`);
    lines.push(outcome.started ? `▶️ Now playing ${trackLine(first)}` : `First up at position **${outcome.position}**.`);
  } else if (outcome.started) {
    lines.push(`▶️ Now playing ${trackLine(first)}`);
  } else {
    lines.push(`➕ Queued ${trackLine(first)} at position **${outcome.position}**.`);
  }
  const notices = outcomeNotices(outcome);
  if (notices.length > 0) lines.push('', ...notices);
  const embed = new EmbedBuilder().setColor(MusicColour).setDescription(lines.join('\n'));
  const artwork = safeUrl(first?.artworkUrl);
  if (artwork) embed.setThumbnail(artwork);
  return embed.toJSON();
}

/** The reply to `/play`. */
export function playOutcomeMessage(outcome: PlayOutcome): MusicMessage {
  return musicMessage([playOutcomeEmbed(outcome)]);
}

/** Why tracks were left out, one line per reason, so a member knows the limit they hit. */
export function outcomeNotices(outcome: PlayOutcome): string[] {
  const notices: string[] = [];
  if (outcome.trimmed > 0) notices.push(`✂️ ${plural(outcome.trimmed, 'track')} did not fit: the queue is full.`);
  if (outcome.skippedTooLong > 0) {
    notices.push(`⏱️ Skipped ${plural(outcome.skippedTooLong, 'track')} longer than the track length limit.`);
  }
  if (outcome.skippedOverShare > 0) {
    notices.push(`⚖️ Skipped ${plural(outcome.skippedOverShare, 'track')}: you reached your share of the queue.`);
  }
  return notices;
}
