import type { ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../../telemetry/logging/createLogger.js';

/** What a command handler may use besides the interaction. Built once by the composition root. */
export interface CommandContext {
  readonly logger: Logger;
  readonly version: string;
  readonly startedAt: number;
}

/** A slash command: its registration payload and a short translator from interaction to reply. */
export interface Command {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
}
