import { EventEmitter } from 'node:events';
import { Events } from 'discord.js';
import { Constants, type Node, type NodeOption, type Player, RestError, Shoukaku } from 'shoukaku';
import { ConfigError } from '../config/ConfigError.js';
import type { HealthCheck } from '../health/HealthCheck.js';
import type { GuildPlayer, JoinOptions, LavalinkGateway, LoadResult } from '../music/LavalinkGateway.js';
import { lavalinkIdentifier, type ValidatedQuery } from '../music/QueryGuard.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { lavalinkDetails, lavalinkReadiness } from './LavalinkHealth.js';
import { LavalinkUnavailableError } from './LavalinkUnavailableError.js';
import { moveVoiceChannel } from './moveVoiceChannel.js';
import { type FailoverTrigger, NodeMonitor, type NodeStatus } from './NodeMonitor.js';
import { OrderedVoiceConnector } from './OrderedVoiceConnector.js';
import { type FailoverEvent, PlayerFailover } from './PlayerFailover.js';
import { pickNode } from './pickNode.js';
import { type PlayerGuard, safePlayerClass } from './SafePlayer.js';
import { DefaultShoukakuGatewayOptions, type ShoukakuGatewayOptions } from './ShoukakuGatewayOptions.js';
import { ShoukakuGuildPlayer } from './ShoukakuGuildPlayer.js';
import { toLoadResult } from './toLoadResult.js';

/** A player that no node could take after its node failed: it was stopped and left voice. */
export interface PlayerLostEvent {
  readonly guildId: string;
  /** The node that failed. */
  readonly node: string;
  /** `no_node`: no node was usable; `failed`: every usable node refused the player. */
  readonly reason: 'no_node' | 'failed';
}

/** What a {@link ShoukakuGateway} emits. Listeners must not throw; a throwing listener is logged and skipped. */
export interface ShoukakuGatewayEvents {
  /** One player's failover, whatever its outcome. */
  failover: [event: FailoverEvent];
  /** Subscribe and tell the guild: the music service's `disconnected` with reason `node_lost`. */
  playerLost: [event: PlayerLostEvent];
  nodeStatus: [event: { readonly node: string; readonly status: NodeStatus; readonly previous: NodeStatus }];
  /**
   * Some node can take players again after a moment when none could (the first node connecting at start-up
   * included): players lost with reason `no_node` can be brought back now.
   */
  usable: [];
}

type ResolvedOptions = ShoukakuGatewayOptions &
  Required<Pick<ShoukakuGatewayOptions, keyof typeof DefaultShoukakuGatewayOptions>>;

type Running = { readonly shoukaku: Shoukaku; readonly monitor: NodeMonitor; readonly failover: PlayerFailover };

/**
 * The {@link LavalinkGateway} on shoukaku 4.3: nodes from config with session resume, node health and telemetry, and
 * a failover that moves every player of a failed node to a healthy one at its last position (see `NodeMonitor` for
 * when, `PlayerFailover` for how). The shoukaku players it hands out are `SafePlayer`s, which never send Lavalink a
 * voice state without a channel id.
 */
export class ShoukakuGateway extends EventEmitter<ShoukakuGatewayEvents> implements LavalinkGateway, AsyncDisposable {
  /** False when no node is configured: music is off and every call throws `LavalinkUnavailableError`. */
  readonly enabled: boolean;
  readonly #options: ResolvedOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #running: Running | undefined;
  readonly #players = new Map<string, ShoukakuGuildPlayer>();
  readonly #joining = new Map<string, Promise<ShoukakuGuildPlayer>>();
  readonly #staleCleanups = new Set<string>();
  readonly #stopObserving: () => void;
  #closed = false;
  /** Whether some node was usable at the last node status change, so that `usable` is emitted once per recovery. */
  #wasUsable = false;

  constructor(options: ShoukakuGatewayOptions) {
    super();
    this.#options = { ...DefaultShoukakuGatewayOptions, ...withoutUndefined(options) } as ResolvedOptions;
    this.#log = options.logger;
    this.#now = options.now ?? (() => performance.now());
    this.enabled = options.nodes.length > 0;
    if (!this.enabled) {
      this.#stopObserving = () => undefined;
      return;
    }
    this.#running = this.#start();
    const { monitor } = this.#running;
    this.#stopObserving = options.instruments.observe(() => monitor.readings());
  }

  /** The shoukaku instance, for diagnostics and tests; undefined when disabled. */
  get shoukaku(): Shoukaku | undefined {
    return this.#running?.shoukaku;
  }

  async load(query: ValidatedQuery): Promise<LoadResult> {
    const { monitor } = this.#require();
    const identifier = lavalinkIdentifier(query, this.#options.searchPrefix);
    const tried = new Set<Node>();
    for (;;) {
      const node = pickNode(monitor.usableNodes().filter((n) => !tried.has(n)));
      if (!node) throw new LavalinkUnavailableError('no_node');
      tried.add(node);
      try {
        return toLoadResult(await node.rest.resolve(identifier));
      } catch (error) {
        // An HTTP error is the node's answer; a transport error may be a node dying: try the next one once.
        if (error instanceof RestError || tried.size >= 2) throw error;
        this.#log.warn({ err: error, node: node.name }, 'lavalink load failed; trying another node');
      }
    }
  }

  async join(options: JoinOptions): Promise<GuildPlayer> {
    const { shoukaku } = this.#require();
    // A player being destroyed stays listed until a move it waits for ends; it is no player to join with.
    const existing = this.#players.get(options.guildId);
    if (existing?.usable) {
      const connection = shoukaku.connections.get(options.guildId);
      if (connection && connection.channelId !== options.voiceChannelId) {
        const timeout = this.#options.voiceConnectionTimeoutMs;
        await moveVoiceChannel(this.#options.client, shoukaku, connection, options.voiceChannelId, timeout);
        await existing.sendVoice();
      }
      return existing;
    }
    let joining = this.#joining.get(options.guildId);
    if (!joining) {
      joining = this.#connect(options).finally(() => this.#joining.delete(options.guildId));
      this.#joining.set(options.guildId, joining);
    }
    return joining;
  }

  player(guildId: string): GuildPlayer | undefined {
    return this.#players.get(guildId);
  }

  /** Whether some node can take a player now; `usable` is emitted when this turns true. */
  get usable(): boolean {
    return !this.#closed && this.#running !== undefined && this.#running.monitor.usableNodes().length > 0;
  }

  /** Readiness `lavalink`: at least one node connected (always ready when disabled, so music can be off). */
  readinessCheck(): HealthCheck {
    return { name: 'lavalink', check: () => lavalinkReadiness(this.#running?.monitor.nodes() ?? null) };
  }

  /** The `lavalink` section of `/healthz`: each node's status, load and event counts, and the bot's players. */
  details(): Record<string, unknown> {
    return lavalinkDetails(this.enabled, this.#running?.monitor.nodes() ?? [], [...this.#players.values()]);
  }

  /**
   * Stops node telemetry and reconnects. Players are left as they are: Lavalink keeps them for the resume timeout.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopObserving();
    this.#running?.monitor.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #start(): Running {
    const options = this.#options;
    const password = options.password?.reveal();
    if (!password) {
      throw new ConfigError([
        { key: 'lavalink.password', source: 'LAVALINK_PASSWORD', problem: 'is required when lavalink.nodes is set' },
      ]);
    }
    const nodes: NodeOption[] = options.nodes.map((node) => ({
      name: node.name,
      url: node.url,
      auth: password,
      secure: node.secure,
      ...(node.region ? { group: node.region } : {}),
    }));
    const guard: PlayerGuard = {
      sourceOf: (message) => monitor.sourceOf(message),
      staleMessage: (player, source) => this.#removeStale(player.guildId, source),
      voiceUpdateProblem: (player, problem) => {
        if (problem.kind === 'incomplete') {
          this.#log.debug({ guild_id: player.guildId, missing: problem.missing }, 'skipped an incomplete voice update');
        } else {
          this.#log.warn({ guild_id: player.guildId, err: problem.error }, 'voice update to lavalink failed');
        }
      },
    };
    const shoukaku = new Shoukaku(new OrderedVoiceConnector(options.client), [], {
      resume: true,
      resumeTimeout: Math.max(1, Math.round(options.resumeTimeoutS)),
      resumeByLibrary: false,
      reconnectTries: options.reconnectTries,
      reconnectInterval: options.reconnectIntervalMs / 1000,
      restTimeout: options.restTimeoutMs / 1000,
      voiceConnectionTimeout: options.voiceConnectionTimeoutMs / 1000,
      // It cannot move players off a dead node (DESIGN.md); PlayerFailover does.
      moveOnDisconnect: false,
      userAgent: options.userAgent,
      structures: { player: safePlayerClass(guard) },
      nodeResolver: (_nodes, connection) => pickNode(monitor.usableNodes(), { region: connection?.region ?? null }),
    });
    const monitor = new NodeMonitor({
      shoukaku,
      nodes,
      logger: this.#log,
      now: this.#now,
      readdIntervalMs: options.readdIntervalMs ?? options.reconnectIntervalMs,
      failoverAfterMs: options.failoverAfterMs,
    });
    monitor.on('lost', (node, trigger, lostAt) => void this.#onNodeLost(node, trigger, lostAt));
    monitor.on('status', (node, status, previous) => {
      this.#emit('nodeStatus', { node, status, previous });
      const usable = monitor.usableNodes().length > 0;
      const recovered = usable && !this.#wasUsable;
      this.#wasUsable = usable;
      if (recovered && !this.#closed) this.#emit('usable');
    });
    const failover = new PlayerFailover({
      usableNodes: () => monitor.usableNodes(),
      regionOf: (guildId) => shoukaku.connections.get(guildId)?.region ?? null,
      instruments: options.instruments,
      logger: this.#log,
    });
    // shoukaku learns the bot's user id on clientReady (its listener was registered first, so it runs first).
    const client = options.client;
    if (client.isReady()) {
      shoukaku.id = client.user.id;
      monitor.start();
    } else {
      client.once(Events.ClientReady, () => monitor.start());
    }
    return { shoukaku, monitor, failover };
  }

  async #connect(options: JoinOptions): Promise<ShoukakuGuildPlayer> {
    const { shoukaku, monitor } = this.#require();
    const { guildId } = options;
    // Checked first so that a join without a node does not pull the bot into the channel.
    if (monitor.usableNodes().length === 0) throw new LavalinkUnavailableError('no_node', guildId);
    // A connection without a player of ours is left from a failed attempt; shoukaku refuses to join over it.
    if (shoukaku.connections.has(guildId)) await shoukaku.leaveVoiceChannel(guildId);
    let player: Player;
    try {
      player = await shoukaku.joinVoiceChannel({
        guildId,
        channelId: options.voiceChannelId,
        shardId: options.shardId,
        deaf: options.deaf ?? true,
      });
    } catch (error) {
      // The last node went away during the Discord voice handshake: shoukaku says so with a plain Error.
      if (monitor.usableNodes().length === 0) throw new LavalinkUnavailableError('no_node', guildId, { cause: error });
      throw error;
    }
    const wrapper = new ShoukakuGuildPlayer(player, {
      now: this.#now,
      connection: () => shoukaku.connections.get(guildId),
      release: (released) => this.#release(released),
      listenerFailed: (error, event) =>
        this.#log.error({ err: error, guild_id: guildId, event: event.type }, 'a player event listener threw'),
    });
    this.#players.set(guildId, wrapper);
    this.#log.debug({ guild_id: guildId, node: wrapper.node }, 'joined voice');
    return wrapper;
  }

  /**
   * Leaves voice and destroys the player on its node. Not `shoukaku.leaveVoiceChannel`: that one deletes the guild's
   * entry once the DELETE returns, by when a new join may have put its own player there, whose events would then be
   * dropped. Here this player's entries go at once, and only while they are still its own. Never rejects.
   */
  async #release(player: ShoukakuGuildPlayer): Promise<void> {
    const { guildId } = player;
    if (this.#players.get(guildId) === player) this.#players.delete(guildId);
    const shoukaku = this.#running?.shoukaku;
    const own = player.shoukakuPlayer;
    // Gone already: a later join left the guild's voice connection and destroyed this player before joining again.
    if (!shoukaku || shoukaku.players.get(guildId) !== own) return;
    shoukaku.players.delete(guildId);
    const connection = shoukaku.connections.get(guildId);
    if (connection) {
      connection.disconnect();
      shoukaku.connections.delete(guildId);
    }
    try {
      await own.destroy();
    } catch (error) {
      // The node may be gone, and with it the player.
      this.#log.debug({ err: error, guild_id: guildId, node: own.node.name }, 'lavalink player removal failed');
    }
    own.clean();
  }

  async #onNodeLost(node: Node, trigger: FailoverTrigger, lostAt: number): Promise<void> {
    if (this.#closed || !this.#running) return;
    const { monitor, failover } = this.#running;
    const players = [...this.#players.values()].filter((p) => p.usable && p.nodeObject === node);
    if (players.length === 0) return;
    if (trigger === 'stalled' && monitor.usableNodes().length === 0) {
      // The node may still resume; if it fails instead, reconnect_failed follows and the players are stopped then.
      this.#log.warn({ node: node.name, players: players.length }, 'no other lavalink node; waiting for this one');
      return;
    }
    this.#log.warn({ node: node.name, trigger, players: players.length }, 'moving players off a failed lavalink node');
    try {
      const results = await failover.moveAll(players, node, trigger, lostAt);
      // Every guild hears of its loss at once; the releases (a DELETE each) are awaited together afterwards.
      const releases: Promise<void>[] = [];
      for (const [index, event] of results.entries()) {
        this.#emit('failover', event);
        const player = players[index];
        if (event.outcome !== 'success' && player) releases.push(this.#lose(player, event.from, event.outcome));
      }
      await Promise.all(releases);
    } catch (error) {
      this.#log.error({ err: error, node: node.name }, 'failover failed');
    }
  }

  /** Stops a player no node could take: it leaves voice, and `playerLost` tells the music layer. */
  async #lose(player: ShoukakuGuildPlayer, node: string, reason: PlayerLostEvent['reason']): Promise<void> {
    player.markLost();
    this.#emit('playerLost', { guildId: player.guildId, node, reason });
    await this.#release(player);
  }

  /** Deletes the copy of a moved player that a node which came back still plays, once per node session. */
  #removeStale(guildId: string, node: Node): void {
    if (node.state !== Constants.State.CONNECTED) return;
    const key = `${node.name}/${node.sessionId}/${guildId}`;
    if (this.#staleCleanups.has(key)) return;
    this.#staleCleanups.add(key);
    this.#log.info({ node: node.name, guild_id: guildId }, 'removing the stale copy of a moved player');
    node.rest
      .destroyPlayer(guildId)
      .catch((error: unknown) => this.#log.debug({ err: error, node: node.name }, 'stale player removal failed'))
      .finally(() => this.#staleCleanups.delete(key));
  }

  #emit<K extends keyof ShoukakuGatewayEvents>(event: K, ...args: ShoukakuGatewayEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: ShoukakuGatewayEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#log.error({ err: error, event }, 'a lavalink gateway listener threw');
    }
  }

  #require(): Running {
    if (this.#closed) throw new LavalinkUnavailableError('closed');
    if (!this.#running) throw new LavalinkUnavailableError('disabled');
    return this.#running;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
