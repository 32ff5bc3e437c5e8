import { EventEmitter } from 'node:events';
import type { APIMessage, APIUser, APIVoiceState } from 'discord-api-types/v10';
import type { InteractionHost, InteractionRecord } from '../interactions/InteractionRecord.js';
import { SnowflakeGenerator } from '../util/SnowflakeGenerator.js';
import { CommandStore } from './CommandStore.js';
import type { GuildSpec } from './GuildSpec.js';
import { leftVoiceStatePayload, userPayload, voiceStatePayload } from './guildPayloads.js';
import { MessageStore } from './MessageStore.js';
import { type SandboxChannel, SandboxGuild, type SandboxUser } from './SandboxGuild.js';

/** Changes the gateway turns into dispatches. */
export interface SandboxStateEvents {
  guildCreate: [guild: SandboxGuild];
  messageCreate: [message: APIMessage, guildId: string];
  messageUpdate: [message: APIMessage, guildId: string];
  messageDelete: [channelId: string, messageId: string, guildId: string];
  voiceStateUpdate: [state: APIVoiceState, guildId: string];
}

/** The identity and timing settings the state is built with. */
export interface SandboxStateInit {
  readonly token: string;
  readonly applicationId: string;
  readonly applicationName: string;
  readonly shardCount: number;
  readonly responseDeadlineMs: number;
  readonly tokenLifetimeMs: number;
}

/** Everything the sandbox Discord knows: the bot, guilds, users, commands, messages and interactions. */
export class SandboxState extends EventEmitter<SandboxStateEvents> implements InteractionHost {
  public readonly snowflakes = new SnowflakeGenerator();
  public readonly bot: SandboxUser;
  public readonly users = new Map<string, SandboxUser>();
  public readonly guilds = new Map<string, SandboxGuild>();
  public readonly commands: CommandStore;
  public readonly messages = new MessageStore();
  public readonly interactions = new Map<string, InteractionRecord>();
  public readonly interactionsByToken = new Map<string, InteractionRecord>();
  public readonly token: string;
  public readonly applicationId: string;
  public readonly applicationName: string;
  public readonly responseDeadlineMs: number;
  public readonly tokenLifetimeMs: number;
  /** Base URL of the REST server, known once it listens; used for attachment URLs. */
  public attachmentBaseUrl = 'http://127.0.0.1';
  readonly #shardCount: number;

  public constructor(init: SandboxStateInit) {
    super();
    this.token = init.token;
    this.applicationId = init.applicationId;
    this.applicationName = init.applicationName;
    this.responseDeadlineMs = init.responseDeadlineMs;
    this.tokenLifetimeMs = init.tokenLifetimeMs;
    this.#shardCount = init.shardCount;
    // Bots created since 2020 have a user id equal to their application id.
    this.bot = { id: init.applicationId, username: init.applicationName.toLowerCase(), globalName: null, bot: true };
    this.users.set(this.bot.id, this.bot);
    this.commands = new CommandStore(init.applicationId, this.snowflakes);
  }

  /** The bot's user object. */
  public get botUser(): APIUser {
    return userPayload(this.bot);
  }

  /**
   * Adds a guild the bot is in. Without an explicit id, guilds are spread round-robin over the configured
   * shard count so multi-shard setups get guilds on every shard.
   */
  public addGuild(spec: GuildSpec): SandboxGuild {
    const id = spec.id ?? this.snowflakes.nextForShard(this.guilds.size % this.#shardCount, this.#shardCount);
    if (this.guilds.has(id)) throw new Error(`Guild ${id} already exists in the sandbox`);
    const guild = new SandboxGuild(spec, {
      id,
      snowflakes: this.snowflakes,
      users: this.users,
      bot: this.bot,
      botRoleName: this.applicationName,
    });
    this.guilds.set(id, guild);
    this.emit('guildCreate', guild);
    return guild;
  }

  /** A guild by id or name. */
  public guild(ref: string): SandboxGuild | undefined {
    return this.guilds.get(ref) ?? [...this.guilds.values()].find((g) => g.name === ref);
  }

  /** A channel anywhere, with its guild. */
  public findChannel(channelId: string): { guild: SandboxGuild; channel: SandboxChannel } | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  /**
   * Connects, moves or disconnects a member's voice; emits VOICE_STATE_UPDATE material.
   * Returns false when nothing changed.
   */
  public moveMember(
    guild: SandboxGuild,
    userId: string,
    channelId: string | null,
    extra: { sessionId?: string; selfMute?: boolean; selfDeaf?: boolean } = {},
  ): boolean {
    const previous = guild.voiceStates.get(userId);
    if (channelId === null) {
      if (!previous) return false;
      guild.setVoiceState(userId, null);
      this.emit(
        'voiceStateUpdate',
        leftVoiceStatePayload(guild, userId, extra.sessionId ?? previous.sessionId),
        guild.id,
      );
      return true;
    }
    const patch = {
      channelId,
      ...(extra.sessionId === undefined ? {} : { sessionId: extra.sessionId }),
      ...(extra.selfMute === undefined ? {} : { selfMute: extra.selfMute }),
      ...(extra.selfDeaf === undefined ? {} : { selfDeaf: extra.selfDeaf }),
    };
    const next = guild.setVoiceState(userId, patch);
    if (next) this.emit('voiceStateUpdate', voiceStatePayload(guild, next, true), guild.id);
    return true;
  }

  /**
   * Changes a connected member's stage state (speaker or audience, request to speak) and emits VOICE_STATE_UPDATE
   * material. Returns false when the member is not connected.
   */
  public updateStageState(
    guild: SandboxGuild,
    userId: string,
    patch: { suppress?: boolean; requestToSpeakTimestamp?: string | null },
  ): boolean {
    const previous = guild.voiceStates.get(userId);
    if (!previous) return false;
    const next = guild.setVoiceState(userId, { channelId: previous.channelId, ...patch });
    if (next) this.emit('voiceStateUpdate', voiceStatePayload(guild, next, true), guild.id);
    return true;
  }

  /** Stores a message in its channel and announces it. */
  public publishMessage(message: APIMessage, guildId: string): void {
    this.messages.add(message);
    const found = this.findChannel(message.channel_id);
    if (found) found.channel.lastMessageId = message.id;
    this.emit('messageCreate', message, guildId);
  }

  /** Replaces a stored message and announces the edit; false when the message is not in a channel. */
  public publishEdit(message: APIMessage, guildId: string): boolean {
    if (!this.messages.replace(message)) return false;
    this.emit('messageUpdate', message, guildId);
    return true;
  }

  /** Removes a stored message and announces the deletion. */
  public publishDelete(channelId: string, messageId: string, guildId: string): void {
    if (this.messages.remove(channelId, messageId)) this.emit('messageDelete', channelId, messageId, guildId);
  }

  /** Registers a dispatched interaction so callbacks and webhooks can find it; forgets expired ones. */
  public registerInteraction(record: InteractionRecord): void {
    // Maps iterate in insertion order, so expired interactions are at the front.
    for (const [id, old] of this.interactions) {
      if (Date.now() - old.createdAt <= this.tokenLifetimeMs) break;
      this.interactions.delete(id);
      this.interactionsByToken.delete(old.init.token);
    }
    this.interactions.set(record.init.id, record);
    this.interactionsByToken.set(record.init.token, record);
  }
}
