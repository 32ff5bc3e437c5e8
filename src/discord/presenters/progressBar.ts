import { formatDuration } from '../../music/Track.js';

/** Width of the bar in characters, knob included. */
export const ProgressBarWidth = 18;

/**
 * A text progress bar: `━━━━━●────────────` for a track `positionMs` into `lengthMs`. The knob sits at the start
 * for 0 and at the end once the position reaches the length; out-of-range and non-finite values are clamped, so a
 * late player update can never draw a broken bar.
 */
export function progressBar(positionMs: number, lengthMs: number, width = ProgressBarWidth): string {
  const slots = Math.max(2, Math.floor(width));
  const ratio = lengthMs > 0 && Number.isFinite(positionMs) ? Math.min(1, Math.max(0, positionMs / lengthMs)) : 0;
  const knob = Math.round(ratio * (slots - 1));
  return `${'━'.repeat(knob)}●${'─'.repeat(slots - 1 - knob)}`;
}

/** The progress line of a now-playing display: the bar and `01:23 / 03:45`, or `🔴 LIVE` for a stream. */
export function progressLine(track: { readonly isStream: boolean; readonly lengthMs: number }, positionMs: number) {
  if (track.isStream) return `🔴 LIVE · ${formatDuration(positionMs)}`;
  const position = Math.min(Math.max(0, positionMs), track.lengthMs);
  return `${progressBar(position, track.lengthMs)} \`${formatDuration(position)} / ${formatDuration(track.lengthMs)}\``;
}
