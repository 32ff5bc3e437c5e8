import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../../telemetry/logging/createLogger.js';
import type { SearchSessions } from '../components/SearchSessions.js';
import type { GuildSettingsStore, PlayHistoryReader } from '../GuildDataPort.js';
import type { MusicPort } from '../MusicPort.js';
import type { MusicAccess } from '../permissions/MusicAccess.js';

/** What a command handler may use besides the interaction. Built once by the composition root. */
export interface CommandContext {
  readonly logger: Logger;
  readonly version: string;
  readonly startedAt: number;
  /** The music service. */
  readonly music: MusicPort;
  /** The permission gate of music commands and components. */
  readonly access: MusicAccess;
  /** `/search` results waiting for their pick. */
  readonly searches: SearchSessions;
  /** Guild settings (`/settings`). */
  readonly settings: GuildSettingsStore;
  /** What played in each guild (`/history`). */
  readonly history: PlayHistoryReader;
}

/** A slash command: its registration payload and a short translator from interaction to reply. */
export interface Command {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  /**
   * Suggestions for the option being typed. The pipeline sends them (at most 25) and answers with none if this
   * throws or takes too long: autocomplete never shows an error.
   */
  autocomplete?(
    interaction: AutocompleteInteraction,
    context: CommandContext,
  ): Promise<readonly ApplicationCommandOptionChoiceData<string>[]>;
}
