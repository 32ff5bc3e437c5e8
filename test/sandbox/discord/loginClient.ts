import { once } from 'node:events';
import { Client, type ClientOptions, Events, GatewayIntentBits } from 'discord.js';
import type { SandboxDiscord } from '../../../src/sandbox/discord/index.js';

/** The intents the bot uses; the tests run discord.js with exactly these. */
export const TEST_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildVoiceStates,
  GatewayIntentBits.GuildMessages,
];

/** Builds an unmodified discord.js client pointed at the sandbox. */
export function sandboxClient(sandbox: SandboxDiscord, options: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: TEST_INTENTS,
    ...options,
    rest: { ...options.rest, api: sandbox.restUrl },
  });
}

/** Logs a client into the sandbox and waits until discord.js emits clientReady. */
export async function loginClient(
  sandbox: SandboxDiscord,
  options: Partial<ClientOptions> = {},
): Promise<Client<true>> {
  const client = sandboxClient(sandbox, options);
  const ready = once(client, Events.ClientReady);
  await client.login(sandbox.token);
  await ready;
  return client as Client<true>;
}
