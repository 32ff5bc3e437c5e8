/**
 * An expected failure caused by the user or the situation (bad input, nothing playing, no permission). Its
 * `identifier` maps to a friendly message; it is never an infrastructure error and never pages anyone.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    /** Stable identifier, e.g. `command.unknown`; the reply text comes from `UserMessages`. */
    readonly identifier: UserErrorIdentifier,
    /** Extra context for logs and spans. Never shown to the user. */
    readonly context: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(UserMessages[identifier]);
  }
}

/** What the user reads for each identifier. */
export const UserMessages = {
  'command.unknown': 'I do not know that command. It may have been removed; try again in a minute.',
  'command.guild_only': 'This command only works in a server.',
  'command.throttled': 'You are sending commands too quickly. Please wait a moment.',
  'interaction.malformed': 'That request looked malformed, so I ignored it.',
  'bot.restarting': 'I am restarting right now. Please try again in a few seconds.',
} as const;

export type UserErrorIdentifier = keyof typeof UserMessages;
