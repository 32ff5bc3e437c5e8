/** A value a user typed into a command option. User, channel, role and mentionable options take an id. */
export type OptionValue = string | number | boolean;

/**
 * Where and by whom an interaction happens. Each field takes an id or a name (guild name, channel name,
 * username / global name / nickname); defaults are the first guild, its first text channel, and its
 * first human member.
 */
export interface RunTarget {
  guildId?: string;
  channelId?: string;
  userId?: string;
  /** The user's client locale (default `en-US`). */
  locale?: string;
}

/** What chat input and autocomplete inputs share: how closely they follow the registered command. */
export interface CommandRunOptions {
  /**
   * What a client with an outdated command list can send: a command since deleted, or options, types, choices or
   * limits since changed. By default `runCommand` only sends what the registered command (guild, else global)
   * allows, as an up-to-date client does, and throws a `CommandInputError` otherwise; set this to test how the bot
   * handles stale or malformed input.
   */
  stale?: boolean;
}

/** A slash command invocation (`/command subcommand option:value`). */
export interface ChatInputRunInput extends RunTarget, CommandRunOptions {
  type?: 'chat_input';
  command: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Option values by option name; their types come from the registered command. */
  options?: Readonly<Record<string, OptionValue>>;
}

/** An autocomplete request while the user types into option `focused`. */
export interface AutocompleteRunInput extends RunTarget, CommandRunOptions {
  type: 'autocomplete';
  command: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Readonly<Record<string, OptionValue>>;
  /** The option being typed; its value is sent as the partial string typed so far. */
  focused: string;
}

/** A click on a button or a choice in a string select menu, on a message the bot sent. */
export interface ComponentRunInput extends RunTarget {
  type: 'button' | 'select';
  customId: string;
  /** Selected values (select menus). */
  values?: readonly string[];
  /** The message carrying the component; default: the newest message in the channel that has `customId`. */
  messageId?: string;
}

/** Everything `SandboxDiscord.runCommand()` can simulate. */
export type RunCommandInput = ChatInputRunInput | AutocompleteRunInput | ComponentRunInput;
