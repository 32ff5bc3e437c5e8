import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type APIApplicationCommand, type APIMessage, GatewayOpcodes } from 'discord-api-types/v10';
import type { GatewayLogEntry, ShardSessionInfo } from './gateway/GatewayLog.js';
import { GatewayServer } from './gateway/GatewayServer.js';
import type { VoiceEventOrder } from './gateway/voiceAndMembers.js';
import { buildInteraction } from './interactions/buildInteraction.js';
import { InteractionRecord } from './interactions/InteractionRecord.js';
import { InteractionRun } from './interactions/InteractionRun.js';
import type { RunCommandInput } from './interactions/RunCommandInput.js';
import { type FailureFault, FaultInjector, type RateLimitFault } from './rest/FaultInjector.js';
import { RestServer, type SandboxRequestLogEntry } from './rest/RestServer.js';
import { applicationRoutes } from './rest/routes/applicationRoutes.js';
import { channelRoutes } from './rest/routes/channelRoutes.js';
import { commandRoutes } from './rest/routes/commandRoutes.js';
import { interactionRoutes } from './rest/routes/interactionRoutes.js';
import type { RestContext } from './rest/routes/RestContext.js';
import {
  type ResolvedSandboxDiscordOptions,
  resolveSandboxDiscordOptions,
  type SandboxDiscordOptions,
} from './SandboxDiscordOptions.js';
import type { GuildSpec } from './state/GuildSpec.js';
import type { SandboxGuild, SandboxMember, SandboxUser } from './state/SandboxGuild.js';
import { SandboxState } from './state/SandboxState.js';
import { SnowflakeGenerator } from './util/SnowflakeGenerator.js';

/** Events a sandbox emits for tests and the demo. */
export interface SandboxDiscordEvents {
  /** Every REST request, after it was answered. */
  request: [entry: SandboxRequestLogEntry];
  /** Every gateway payload sent or received. */
  gateway: [entry: GatewayLogEntry];
  /** Every interaction dispatched by `runCommand`. */
  interaction: [run: InteractionRun];
  /** A bug in the sandbox itself (answered to the client as a 500). */
  internalError: [error: unknown];
}

const LOG_LIMIT = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A local Discord (REST API v10 and gateway) that the unmodified discord.js client logs into:
 * `new Client({ intents, rest: { api: sandbox.restUrl } })` then `client.login(sandbox.token)`.
 */
export class SandboxDiscord extends EventEmitter<SandboxDiscordEvents> implements AsyncDisposable {
  readonly #options: ResolvedSandboxDiscordOptions;
  readonly #state: SandboxState;
  readonly #faults = new FaultInjector();
  readonly #requests: SandboxRequestLogEntry[] = [];
  readonly #gatewayLog: GatewayLogEntry[] = [];
  readonly #startedAt = Date.now();
  readonly #http: Server;
  readonly #gateway: GatewayServer;
  #identifies = 0;
  #voiceEventOrder: VoiceEventOrder;
  #port = 0;
  #closed: Promise<void> | undefined;

  private constructor(options: SandboxDiscordOptions) {
    super();
    this.#options = resolveSandboxDiscordOptions(options);
    const o = this.#options;
    this.#voiceEventOrder = o.voiceEventOrder;
    this.#state = new SandboxState({
      token: o.token,
      applicationId: o.applicationId ?? new SnowflakeGenerator(2).next(Date.now() - DAY_MS * 365),
      applicationName: o.applicationName,
      shardCount: o.shardCount,
      responseDeadlineMs: o.interactionResponseDeadlineMs,
      tokenLifetimeMs: o.interactionTokenLifetimeMs,
    });
    for (const spec of o.guilds) this.#state.addGuild(spec);

    const context: RestContext = {
      state: this.#state,
      shardCount: o.shardCount,
      gatewayUrl: () => this.gatewayUrl,
      sessionStartLimit: () => ({
        total: o.sessionStartLimit,
        remaining: Math.max(0, o.sessionStartLimit - this.#identifies),
        reset_after: DAY_MS - (Date.now() - this.#startedAt),
        max_concurrency: o.maxConcurrency,
      }),
    };
    const rest = new RestServer({
      token: o.token,
      routes: [
        ...applicationRoutes(context),
        ...commandRoutes(context),
        ...interactionRoutes(context),
        ...channelRoutes(context),
      ],
      faults: this.#faults,
      rateLimit: o.rateLimit,
      onRequest: (entry) => {
        append(this.#requests, entry);
        this.emit('request', entry);
      },
      onError: (error) => this.emit('internalError', error),
    });
    this.#gateway = new GatewayServer({
      state: this.#state,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      voiceEndpoint: o.voiceEndpoint,
      voiceEventOrder: () => this.#voiceEventOrder,
      allowedIntents: o.allowedIntents,
      resumeUrl: () => `${this.gatewayUrl}/resume`,
      onIdentify: () => {
        this.#identifies += 1;
      },
      onLog: (entry) => {
        append(this.#gatewayLog, entry);
        this.emit('gateway', entry);
      },
    });
    this.#http = createServer((request, response) => {
      if (request.url?.startsWith('/api')) {
        void rest.handle(request, response);
        return;
      }
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
    });
    this.#http.on('upgrade', (request, socket, head) => {
      if (request.url?.startsWith('/gateway')) this.#gateway.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
  }

  /** Starts a sandbox listening on an ephemeral loopback port (unless `port` is given). */
  public static async start(options: SandboxDiscordOptions = {}): Promise<SandboxDiscord> {
    const sandbox = new SandboxDiscord(options);
    await new Promise<void>((resolve, reject) => {
      sandbox.#http.once('error', reject);
      sandbox.#http.listen(sandbox.#options.port, sandbox.#options.host, () => resolve());
    });
    sandbox.#port = (sandbox.#http.address() as AddressInfo).port;
    sandbox.#state.attachmentBaseUrl = `http://${sandbox.#options.host}:${sandbox.#port}`;
    return sandbox;
  }

  /** The port the sandbox listens on. */
  public get port(): number {
    return this.#port;
  }

  /** The REST base to pass as discord.js `rest.api`, e.g. `http://127.0.0.1:PORT/api`. */
  public get restUrl(): string {
    return `http://${this.#options.host}:${this.#port}/api`;
  }

  /** The gateway URL `GET /gateway/bot` returns. */
  public get gatewayUrl(): string {
    return `ws://${this.#options.host}:${this.#port}/gateway`;
  }

  /** The bot token the sandbox accepts. */
  public get token(): string {
    return this.#state.token;
  }

  /** The application id, which is also the bot's user id. */
  public get applicationId(): string {
    return this.#state.applicationId;
  }

  /** The bot user. */
  public get botUser(): SandboxUser {
    return this.#state.bot;
  }

  /** The guilds the bot is in, in creation order. */
  public get guilds(): readonly SandboxGuild[] {
    return [...this.#state.guilds.values()];
  }

  /** A guild by id or name; throws when unknown. */
  public guild(ref: string): SandboxGuild {
    const guild = this.#state.guild(ref);
    if (!guild) throw new Error(`The sandbox has no guild ${ref}`);
    return guild;
  }

  /** Adds a guild; connected shards that own it receive GUILD_CREATE, as when a bot joins a guild. */
  public addGuild(spec: GuildSpec): SandboxGuild {
    return this.#state.addGuild(spec);
  }

  /** A member by guild and user (ids or names). */
  public member(guildRef: string, userRef: string): SandboxMember | undefined {
    return this.#state.guild(guildRef)?.member(userRef);
  }

  /**
   * Connects a member to a voice channel, moves them, or (with null) disconnects them, dispatching
   * VOICE_STATE_UPDATE. Guild, user and channel take ids or names.
   */
  public moveMember(guildRef: string, userRef: string, channelRef: string | null): void {
    const guild = this.guild(guildRef);
    const member = guild.member(userRef);
    if (!member) throw new Error(`Guild ${guild.name} has no member ${userRef}`);
    const channel = channelRef === null ? null : guild.channel(channelRef);
    if (channel === undefined) throw new Error(`Guild ${guild.name} has no channel ${channelRef}`);
    this.#state.moveMember(guild, member.user.id, channel?.id ?? null);
  }

  /**
   * A stage moderator makes a member in a stage channel a speaker (`true`, clearing any request to speak) or moves
   * them back to the audience (`false`), dispatching VOICE_STATE_UPDATE. Throws when the member is not connected.
   */
  public setSpeaker(guildRef: string, userRef: string, speaker: boolean): void {
    const guild = this.guild(guildRef);
    const member = guild.member(userRef);
    if (!member) throw new Error(`Guild ${guild.name} has no member ${userRef}`);
    const patch = speaker ? { suppress: false, requestToSpeakTimestamp: null } : { suppress: true };
    if (!this.#state.updateStageState(guild, member.user.id, patch)) {
      throw new Error(`${userRef} is not in a voice channel of ${guild.name}`);
    }
  }

  /**
   * Simulates a user action and dispatches INTERACTION_CREATE to the shard that owns the guild.
   * Throws when no session of that shard exists (the bot is not logged in), and, unless the input is `stale`, throws
   * a `CommandInputError` when a command input is not what the registered command allows.
   */
  public runCommand(input: RunCommandInput): InteractionRun {
    const { payload, init } = buildInteraction(this.#state, input);
    const record = new InteractionRecord(init, this.#state);
    this.#state.registerInteraction(record);
    const reached = this.#gateway.dispatchToGuild(init.guildId, 'INTERACTION_CREATE', payload);
    if (reached === 0) throw new Error(`No gateway session handles guild ${init.guildId}; is the bot logged in?`);
    const run = new InteractionRun(record, payload);
    this.emit('interaction', run);
    return run;
  }

  /** Messages in a channel that everyone can see (posted by the bot or non-ephemeral responses), oldest first. */
  public channelMessages(channelId: string): readonly APIMessage[] {
    return [...this.#state.messages.list(channelId)];
  }

  /** Registered application commands: global, or of one guild. */
  public commands(guildId?: string): readonly APIApplicationCommand[] {
    return this.#state.commands.list(guildId);
  }

  /** Every REST request so far (the latest 10 000). */
  public get requests(): readonly SandboxRequestLogEntry[] {
    return [...this.#requests];
  }

  /** Every gateway payload sent or received so far (the latest 10 000). */
  public get gatewayEvents(): readonly GatewayLogEntry[] {
    return [...this.#gatewayLog];
  }

  /** Per-shard gateway session details. */
  public get sessions(): ReadonlyMap<number, ShardSessionInfo> {
    return this.#gateway.shardInfo();
  }

  /**
   * Sets the order of the two events that answer the bot's voice join (op 4) from now on: `state_first`
   * (VOICE_STATE_UPDATE, then VOICE_SERVER_UPDATE) or `server_first`. Discord guarantees neither; the start-up
   * default is the `voiceEventOrder` option.
   */
  public voiceEventOrder(order: VoiceEventOrder): void {
    this.#voiceEventOrder = order;
  }

  /** Answers the next matching REST request(s) with a 429. */
  public rateLimitNext(fault: RateLimitFault): void {
    this.#faults.rateLimitNext(fault);
  }

  /** Answers the next matching REST request(s) with an error status (5xx by intent). */
  public failNext(fault: FailureFault): void {
    this.#faults.failNext(fault);
  }

  /** Closes the shard's connections with `closeCode` (4000: resumable); returns how many were closed. */
  public disconnectShard(shardId: number, closeCode = 4000): number {
    return this.#gateway.disconnectShard(shardId, closeCode, 'Disconnected by the sandbox');
  }

  /** Sends op 7 RECONNECT to the shard; the client should reconnect and resume. */
  public reconnectShard(shardId: number): number {
    return this.#gateway.sendOpToShard(shardId, GatewayOpcodes.Reconnect, null);
  }

  /** Sends op 9 INVALID_SESSION; unless resumable, the session is forgotten and the client must identify again. */
  public invalidateSession(shardId: number, resumable = false): number {
    const sessions = this.#gateway.sessionsOfShard(shardId);
    const sent = this.#gateway.sendOpToShard(shardId, GatewayOpcodes.InvalidSession, resumable);
    if (!resumable) for (const session of sessions) this.#gateway.forgetSession(session);
    return sent;
  }

  /** Sends op 1 HEARTBEAT, asking the client to heartbeat immediately. */
  public requestHeartbeat(shardId: number): number {
    return this.#gateway.sendOpToShard(shardId, GatewayOpcodes.Heartbeat, null);
  }

  /** Dispatches any event to the sessions owning a guild, or to a shard; returns how many sessions got it. */
  public dispatch(event: string, data: unknown, target: { guildId: string } | { shardId: number }): number {
    if ('guildId' in target) return this.#gateway.dispatchToGuild(target.guildId, event, data);
    const sessions = this.#gateway.sessionsOfShard(target.shardId);
    for (const session of sessions) this.#gateway.dispatch(session, event, data);
    return sessions.length;
  }

  /** Closes the gateway (dropping connections) and the HTTP server; safe to call more than once. */
  public close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#gateway.close();
      this.#http.closeAllConnections();
      await new Promise<void>((resolve) => this.#http.close(() => resolve()));
    })();
    return this.#closed;
  }

  public async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function append<T>(log: T[], entry: T): void {
  log.push(entry);
  if (log.length > LOG_LIMIT) log.shift();
}
