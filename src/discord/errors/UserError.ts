import { fillPlaceholders, MusicMessages } from '../../music/MusicError.js';

/**
 * An expected failure caused by the user or the situation (bad input, nothing playing, no permission). Its
 * `identifier` maps to a friendly message; it is never an infrastructure error and never pages anyone.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    /** Stable identifier, e.g. `command.unknown`; the reply text comes from `UserMessages`. */
    readonly identifier: UserErrorIdentifier,
    /**
     * Values for the message's `{name}` placeholders (ids such as a channel's, never the user's own text) and extra
     * context for logs and spans.
     */
    readonly context: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(fillPlaceholders(UserMessages[identifier], context));
  }
}

/** What the user reads for each identifier. */
export const UserMessages = {
  'command.unknown': 'I do not know that command. It may have been removed; try again in a minute.',
  'command.guild_only': 'This command only works in a server.',
  'command.throttled': 'You are sending commands too quickly. Please wait a moment.',
  'interaction.malformed': 'That request looked malformed, so I ignored it.',
  'bot.restarting': 'I am restarting right now. Please try again in a few seconds.',
  'component.unknown': 'That button or menu no longer works. Run the command again.',
  'voice.not_in_channel': 'Join a voice channel first.',
  // The same refusal the music service makes when two members' /play race for the bot's first join.
  'voice.different_channel': MusicMessages['voice.different_channel'],
  // Discord ignores a join the bot may not make: without these the member would wait for the voice timeout.
  'voice.join_forbidden':
    'I do not have permission to join <#{channel_id}>. Ask a server admin to give me View Channel and Connect there, or use another voice channel.',
  'voice.channel_full':
    '<#{channel_id}> is full, so I cannot join it. Try again when someone leaves, or ask a server admin to raise its user limit or give me Move Members.',
  'permission.dj_required':
    'On this server only members with the DJ role can control the music. You can still use /play, /search, /queue and /nowplaying.',
  'permission.manage_guild_required': 'Only members with the Manage Server permission can view or change my settings.',
  'search.not_yours': 'These results belong to whoever ran /search. Run /search yourself to pick a track.',
  'search.expired': 'These search results have expired. Run /search again.',
  'seek.invalid_position':
    'Give the position as minutes:seconds (1:23), hours:minutes:seconds (1:02:03) or seconds (83).',
} as const;

export type UserErrorIdentifier = keyof typeof UserMessages;
