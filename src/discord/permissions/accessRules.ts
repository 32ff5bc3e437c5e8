import type { UserErrorIdentifier } from '../errors/UserError.js';

/**
 * What a music interaction needs from the member:
 * - `listen`: nothing (`/queue`, `/nowplaying`, queue paging);
 * - `request`: to be in a voice channel, the bot's one if it is connected, else one the bot can join (`/play`,
 *   `/search` and its pick);
 * - `control`: to share the bot's voice channel while it is connected, and the DJ role when the guild set one
 *   (every command that changes playback, and the now-playing buttons).
 */
export type AccessLevel = 'listen' | 'request' | 'control';

/**
 * Why the bot cannot join the member's voice channel: it lacks View Channel or Connect there (or is timed out), or the
 * channel is at its user limit and the bot lacks Move Members.
 */
export type JoinBlocker = 'forbidden' | 'full';

/** The facts the rules decide on, gathered from the interaction, the music service and the guild settings. */
export interface AccessFacts {
  /** The member's voice channel, null when not connected. */
  readonly memberVoiceChannelId: string | null;
  /** The bot's voice channel in the guild, null when not connected. */
  readonly botVoiceChannelId: string | null;
  /** The guild's DJ role, null when none is set. */
  readonly djRoleId: string | null;
  readonly memberHasDjRole: boolean;
  /** Manage Guild or Administrator: such members never need the DJ role. */
  readonly memberManagesGuild: boolean;
  /** Why the bot cannot join the member's voice channel; null when it can, is already in it, or there is none. */
  readonly joinBlocker: JoinBlocker | null;
}

/**
 * Why the member may not do something at `level`, or null when they may. The DJ rule comes first: a member who may
 * never control playback should learn that, not to move to another channel first.
 */
export function accessRefusal(level: AccessLevel, facts: AccessFacts): UserErrorIdentifier | null {
  if (level === 'listen') return null;
  if (level === 'control' && facts.djRoleId !== null && !facts.memberHasDjRole && !facts.memberManagesGuild) {
    return 'permission.dj_required';
  }
  const { memberVoiceChannelId: member, botVoiceChannelId: bot } = facts;
  // Controlling a bot that is not connected is left to the service, which answers "nothing is playing".
  if (level === 'control' && bot === null) return null;
  if (member === null) return 'voice.not_in_channel';
  if (bot !== null && member !== bot) return 'voice.different_channel';
  // Only a request makes the bot join; Discord would ignore the join silently and the member wait for a timeout.
  if (level === 'request' && bot === null && facts.joinBlocker !== null) {
    return facts.joinBlocker === 'full' ? 'voice.channel_full' : 'voice.join_forbidden';
  }
  return null;
}
