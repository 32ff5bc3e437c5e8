import { Writable } from 'node:stream';
import { metrics } from '@opentelemetry/api';
import pino from 'pino';
import { CommandThrottle } from '../../src/discord/CommandThrottle.js';
import { commands } from '../../src/discord/commands/index.js';
import { components } from '../../src/discord/components/index.js';
import { SearchSessions } from '../../src/discord/components/SearchSessions.js';
import { DiscordBot } from '../../src/discord/DiscordBot.js';
import type {
  GuildSettingsStore,
  GuildSettingsUpdate,
  GuildSettingsValues,
  PlayedTrack,
  PlayHistoryReader,
} from '../../src/discord/GuildDataPort.js';
import { InteractionPipeline } from '../../src/discord/InteractionPipeline.js';
import { MusicAnnouncer } from '../../src/discord/MusicAnnouncer.js';
import { MusicAccess } from '../../src/discord/permissions/MusicAccess.js';
import { registerCommands } from '../../src/discord/registerCommands.js';
import { VoiceWatcher, type VoiceWatcherMusic } from '../../src/discord/VoiceWatcher.js';
import { HostAllowList } from '../../src/music/HostAllowList.js';
import { resolveMusicLimits } from '../../src/music/MusicLimits.js';
import { MusicService } from '../../src/music/MusicService.js';
import type { RunCommandInput } from '../../src/sandbox/discord/interactions/RunCommandInput.js';
import type { SandboxInteractionResponse } from '../../src/sandbox/discord/interactions/SandboxInteractionResponse.js';
import { SandboxDiscord } from '../../src/sandbox/discord/SandboxDiscord.js';
import type { SandboxGuild } from '../../src/sandbox/discord/state/SandboxGuild.js';
import { Instruments } from '../../src/telemetry/Instruments.js';
import { MusicInstruments } from '../../src/telemetry/MusicInstruments.js';
import { InstrumentationScope } from '../../src/telemetry/TelemetryNames.js';
import { FakeLavalinkGateway } from '../music/FakeLavalinkGateway.js';
import { InMemoryTelemetry } from './InMemoryTelemetry.js';

/** Guild settings a test can change: the DJ role per guild (`djRoles`), the rest through `update`. */
export class TestGuildSettings implements GuildSettingsStore {
  readonly djRoles = new Map<string, string>();
  readonly defaults = { defaultVolume: 100, throttlePerMinute: 20 };
  readonly #values = new Map<string, Omit<GuildSettingsValues, 'djRoleId'>>();

  async djRoleId(guildId: string): Promise<string | null> {
    return this.djRoles.get(guildId) ?? null;
  }

  async get(guildId: string): Promise<GuildSettingsValues> {
    const rest = this.#values.get(guildId) ?? { defaultVolume: null, alwaysOnChannelId: null, throttlePerMinute: null };
    return { djRoleId: this.djRoles.get(guildId) ?? null, ...rest };
  }

  async update(guildId: string, changes: GuildSettingsUpdate): Promise<GuildSettingsValues> {
    const { djRoleId, ...rest } = { ...(await this.get(guildId)), ...changes };
    if (djRoleId === null) this.djRoles.delete(guildId);
    else this.djRoles.set(guildId, djRoleId);
    this.#values.set(guildId, rest);
    return this.get(guildId);
  }
}

/** Play history a test fills by hand, newest first. */
export class TestPlayHistory implements PlayHistoryReader {
  readonly plays: (PlayedTrack & { guildId: string })[] = [];

  async recentInGuild(guildId: string, limit: number): Promise<readonly PlayedTrack[]> {
    return this.plays.filter((play) => play.guildId === guildId).slice(0, limit);
  }
}

/** One call the voice watcher made on the music service. */
export type WatcherCall =
  | { readonly op: 'membersChanged'; readonly guildId: string; readonly channelId: string; readonly listeners: number }
  | { readonly op: 'botVoiceChanged'; readonly guildId: string; readonly channelId: string | null }
  | { readonly op: 'guildGone'; readonly guildId: string }
  | { readonly op: 'channelGone'; readonly guildId: string; readonly channelId: string };

/**
 * The Discord layer with music, end to end in one process: the real discord.js client (through `DiscordBot` and the
 * interaction pipeline) against the sandbox Discord, the real `MusicService` on a fake Lavalink gateway, the
 * announcer and the voice watcher, with in-memory telemetry. Built by hand rather than through `App`, so the test
 * owns every part. One per test file: the telemetry globals are registered once per process.
 */
export class MusicHarness {
  /** Every call the voice watcher made, in order. */
  readonly watcherCalls: WatcherCall[] = [];

  private constructor(
    readonly discord: SandboxDiscord,
    readonly telemetry: InMemoryTelemetry,
    readonly gateway: FakeLavalinkGateway,
    readonly music: MusicService,
    readonly settings: TestGuildSettings,
    readonly bot: DiscordBot,
    readonly announcer: MusicAnnouncer,
    /** Every log line the Discord layer wrote (JSON). */
    readonly lines: string[],
  ) {}

  static async start(): Promise<MusicHarness> {
    const telemetry = new InMemoryTelemetry();
    const discord = await SandboxDiscord.start({ heartbeatIntervalMs: 1_000 });
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      }),
    );
    const instruments = new Instruments(metrics.getMeter(InstrumentationScope));
    const gateway = new FakeLavalinkGateway();
    const music = new MusicService({
      gateway,
      limits: resolveMusicLimits(),
      allowList: HostAllowList.Empty,
      searchPrefix: 'ytsearch',
      maxQueryLength: 500,
      idleTimeoutMs: 3_600_000,
      aloneTimeoutMs: 3_600_000,
      defaultVolume: 100,
      instruments: new MusicInstruments(instruments),
      logger,
      // No DNS in tests: every name is a public address; IP literals are judged without resolving.
      resolve: async () => [{ address: '93.184.216.34' }],
    });
    const settings = new TestGuildSettings();
    const pipeline = new InteractionPipeline({
      commands,
      components,
      context: {
        logger,
        version: 'test',
        startedAt: Date.now(),
        music,
        access: new MusicAccess(music, settings),
        searches: new SearchSessions(),
        settings,
        history: new TestPlayHistory(),
      },
      instruments,
      logger,
      throttle: new CommandThrottle(0),
    });
    const bot = new DiscordBot(
      { token: discord.token, apiUrl: discord.restUrl, restTimeoutMs: 5_000, shards: 'auto', shardCount: 'auto' },
      instruments,
      logger,
    );
    bot.route(pipeline);
    const announcer = new MusicAnnouncer(bot.client, music, logger);
    const harness = new MusicHarness(discord, telemetry, gateway, music, settings, bot, announcer, lines);
    new VoiceWatcher(bot.client, harness.#recording(music), logger);
    await bot.start();
    await registerCommands(commands, {
      token: discord.token,
      applicationId: discord.applicationId,
      apiUrl: discord.restUrl,
    });
    return harness;
  }

  /** The sandbox's default guild. */
  get guild(): SandboxGuild {
    const guild = this.discord.guilds[0];
    if (!guild) throw new Error('the sandbox has no guild');
    return guild;
  }

  /** A member's user id by name (`alice`, `bob`, `carol`, `dave`). */
  userId(name: string): string {
    const member = this.guild.member(name);
    if (!member) throw new Error(`no member ${name}`);
    return member.user.id;
  }

  /** A voice channel's id by name (`Lounge`, `Music`). */
  channelId(name: string): string {
    const channel = this.guild.channel(name);
    if (!channel) throw new Error(`no channel ${name}`);
    return channel.id;
  }

  /**
   * Moves a member into a voice channel (or out, with null) and waits until the bot's client has seen it, so the
   * next command is judged on the new state.
   */
  async moveMember(user: string, channel: string | null): Promise<void> {
    const userId = this.userId(user);
    const channelId = channel === null ? null : this.channelId(channel);
    this.discord.moveMember(this.guild.id, userId, channelId);
    await waitUntil(
      () => this.bot.client.guilds.cache.get(this.guild.id)?.voiceStates.cache.get(userId)?.channelId === channelId,
    );
  }

  /** Runs an interaction as `user` in the guild's text channel and returns the first response a user would see. */
  async run(user: string, input: RunCommandInput): Promise<SandboxInteractionResponse> {
    const run = this.discord.runCommand({ ...input, guildId: this.guild.id, userId: this.userId(user) });
    return run.reply({ timeoutMs: 10_000 });
  }

  /** Like {@link run}, returning the interaction run itself for its id and later responses. */
  start(user: string, input: RunCommandInput) {
    return this.discord.runCommand({ ...input, guildId: this.guild.id, userId: this.userId(user) });
  }

  /** Messages in the guild's text channel that everyone sees, oldest first. */
  channelMessages() {
    return this.discord.channelMessages(this.guild.textChannelId);
  }

  /** Tells the music service the current track started, as a Lavalink node would. */
  startCurrentTrack(): void {
    const player = this.gateway.player(this.guild.id);
    const current = this.music.queuePage(this.guild.id, 1).current;
    if (!player || !current) throw new Error('nothing to start');
    player.emit({ type: 'start', encoded: current.encoded });
  }

  async stop(): Promise<void> {
    this.announcer[Symbol.dispose]();
    await this.music.close();
    await this.bot.stop();
    await this.discord.close();
  }

  #recording(music: MusicService): VoiceWatcherMusic {
    const calls = this.watcherCalls;
    return {
      voiceChannelOf: (guildId) => music.voiceChannelOf(guildId),
      membersChanged: (guildId, channelId, listeners) => {
        calls.push({ op: 'membersChanged', guildId, channelId, listeners });
        music.membersChanged(guildId, channelId, listeners);
      },
      botVoiceChanged: (guildId, channelId) => {
        calls.push({ op: 'botVoiceChanged', guildId, channelId });
        return music.botVoiceChanged(guildId, channelId);
      },
      guildGone: (guildId) => {
        calls.push({ op: 'guildGone', guildId });
        return music.guildGone(guildId);
      },
      channelGone: (guildId, channelId) => {
        calls.push({ op: 'channelGone', guildId, channelId });
        return music.channelGone(guildId, channelId);
      },
    };
  }
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
