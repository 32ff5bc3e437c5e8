import { REST, Routes } from 'discord.js';
import type { Command } from './commands/Command.js';

/** Where to register: globally (up to an hour to propagate on the real Discord) or in one guild (instant). */
export interface RegisterCommandsOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId?: string;
  readonly apiUrl?: string;
}

/** Registers (overwrites) the slash commands with Discord. Returns the names Discord now has. */
export async function registerCommands(
  commands: readonly Command[],
  options: RegisterCommandsOptions,
): Promise<string[]> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const registered = (await rest.put(route, { body: commands.map((c) => c.data) })) as { name: string }[];
  return registered.map((c) => c.name);
}

/** The application id of the bot behind `token` (`GET /oauth2/applications/@me`). */
export async function fetchApplicationId(token: string, apiUrl?: string): Promise<string> {
  const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(token);
  const app = (await rest.get(Routes.currentApplication())) as { id: string };
  return app.id;
}
