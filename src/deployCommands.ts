import { ConfigError } from './config/ConfigError.js';
import { loadConfig } from './config/loadConfig.js';
import { commands } from './discord/commands/index.js';
import { fetchApplicationId, registerCommands } from './discord/registerCommands.js';

/**
 * `npm run deploy-commands`: registers the slash commands globally, or in `discord.dev_guild_id` when set (guild
 * commands appear at once, global ones can take up to an hour on the real Discord).
 */
async function deploy(): Promise<void> {
  const config = loadConfig();
  const token = config.discord.token?.reveal();
  if (!token)
    throw new ConfigError([
      { key: 'discord.token', source: 'DISCORD_TOKEN', problem: 'is required to deploy commands' },
    ]);
  const apiUrl = config.discord.api_url ?? undefined;
  const applicationId = config.discord.application_id ?? (await fetchApplicationId(token, apiUrl));
  const guildId = config.discord.dev_guild_id ?? undefined;
  const names = await registerCommands(commands, { token, applicationId, guildId, apiUrl });
  process.stdout.write(
    `Registered ${names.length} commands ${guildId ? `in guild ${guildId}` : 'globally'}: ${names.join(', ')}\n`,
  );
}

deploy().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exit(1);
});
