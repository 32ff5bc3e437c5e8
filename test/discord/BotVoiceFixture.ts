import { Writable } from 'node:stream';
import type { Client } from 'discord.js';
import pino, { type Logger } from 'pino';
import { SandboxDiscord, type SandboxDiscordOptions } from '../../src/sandbox/discord/index.js';
import type { SandboxGuild } from '../../src/sandbox/discord/state/SandboxGuild.js';
import { loginClient } from '../sandbox/discord/loginClient.js';
import { until } from '../sandbox/lavalink/until.js';

/**
 * The real discord.js client logged into a sandbox Discord, for the listeners that react to the bot's own voice state
 * (`VoiceWatcher`, `StageSpeaker`): the tests move the bot as a join would ({@link moveBot}), and every warning the
 * code under test logs through {@link logger} is kept in {@link warnings}.
 */
export class BotVoiceFixture implements AsyncDisposable {
  readonly warnings: string[] = [];
  readonly logger: Logger = pino(
    { level: 'warn' },
    new Writable({
      write: (chunk, _encoding, done) => {
        this.warnings.push(String(chunk));
        done();
      },
    }),
  );

  private constructor(
    readonly discord: SandboxDiscord,
    readonly client: Client<true>,
  ) {}

  static async start(options?: SandboxDiscordOptions): Promise<BotVoiceFixture> {
    const discord = await SandboxDiscord.start(options);
    return new BotVoiceFixture(discord, await loginClient(discord));
  }

  /** The sandbox's first guild, where the tests move the bot. */
  get guild(): SandboxGuild {
    return this.discord.guilds[0]!;
  }

  /** Moves the bot in the sandbox (null: disconnects it) and waits until discord.js has seen it. */
  async moveBot(channel: string | null): Promise<void> {
    const { discord, client, guild } = this;
    const channelId = channel === null ? null : guild.channel(channel)!.id;
    discord.moveMember(guild.id, discord.botUser.id, channelId);
    await until(
      () => (client.guilds.cache.get(guild.id)?.voiceStates.cache.get(client.user.id)?.channelId ?? null) === channelId,
      `the bot in ${channel ?? 'no channel'}`,
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.client.destroy();
    await this.discord.close();
  }
}
