import type { APIEmbed, APIMessageTopLevelComponent } from 'discord.js';
import { NoMentions } from './safeText.js';

/**
 * A message of the music layer as plain API JSON: what replies, edits, updates and channel posts take alike, and what
 * tests assert on. `allowedMentions` is always "nobody", whatever the text contains.
 */
export interface MusicMessage {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  readonly components: APIMessageTopLevelComponent[];
  readonly allowedMentions: typeof NoMentions;
}

/** The accent colour of music embeds. */
export const MusicColour = 0x5865f2;

/** A message of embeds and components that mentions nobody. */
export function musicMessage(embeds: APIEmbed[], components: APIMessageTopLevelComponent[] = []): MusicMessage {
  return { embeds, components, allowedMentions: NoMentions };
}

/** A plain text message that mentions nobody (no embeds, no components: it also clears them when editing). */
export function textMessage(content: string): MusicMessage {
  return { content, embeds: [], components: [], allowedMentions: NoMentions };
}

/** `1 track`, `3 tracks`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
