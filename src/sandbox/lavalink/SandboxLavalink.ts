import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TrackCatalogue } from './catalogue/TrackCatalogue.js';
import { sandboxNodeInfo } from './protocol/NodeInfo.js';
import { type LavalinkRequestLogEntry, LavalinkRestServer } from './rest/LavalinkRestServer.js';
import { infoRoutes } from './rest/routes/infoRoutes.js';
import { playerRoutes } from './rest/routes/playerRoutes.js';
import type { RouteContext } from './rest/routes/RouteContext.js';
import { sessionRoutes } from './rest/routes/sessionRoutes.js';
import { trackRoutes } from './rest/routes/trackRoutes.js';
import {
  type ResolvedSandboxLavalinkOptions,
  resolveSandboxLavalinkOptions,
  type SandboxLavalinkOptions,
} from './SandboxLavalinkOptions.js';
import type { LavalinkMessageLogEntry, LavalinkSessionInfo } from './state/LavalinkSession.js';
import type { NodeLoad } from './state/NodeLoad.js';
import { NodeScheduler } from './state/NodeScheduler.js';
import { NodeState } from './state/NodeState.js';
import type { InjectedTrackFailure, SandboxPlayer, VoiceClose } from './state/SandboxPlayer.js';
import { type SandboxPlayerSnapshot, snapshotPlayer } from './state/SandboxPlayerSnapshot.js';
import { type LavalinkConnectionLogEntry, LavalinkSocketServer } from './websocket/LavalinkSocketServer.js';

/** Events a sandbox node emits for tests and the demo. */
export interface SandboxLavalinkEvents {
  /** Every REST request, after it was answered. */
  request: [entry: LavalinkRequestLogEntry];
  /** Every websocket message sent, queued for a resuming client, replayed or dropped. */
  message: [entry: LavalinkMessageLogEntry];
  /** Websocket handshakes and closes. */
  connection: [entry: LavalinkConnectionLogEntry];
  /** A bug in the sandbox itself (answered to the client as a 500). */
  internalError: [error: unknown];
}

/** A shoukaku `NodeOption` (structurally; the sandbox does not depend on shoukaku). */
export interface SandboxNodeOption {
  readonly name: string;
  readonly url: string;
  readonly auth: string;
  readonly secure: boolean;
}

/** How to kill a node. */
export interface KillOptions {
  /** Also lose every session, as a crashed and restarted process would; by default resumable sessions survive. */
  readonly forgetSessions?: boolean;
}

const LOG_LIMIT = 10_000;

/**
 * A local Lavalink v4 node that the unmodified shoukaku connects to: `new Shoukaku(connector, [node.nodeOption()])`.
 * Several can run at once (failover tests use two). Playback is simulated on a clock: nothing is decoded or sent
 * to Discord, but positions, events, stats and resumes behave like Lavalink's.
 */
export class SandboxLavalink extends EventEmitter<SandboxLavalinkEvents> implements AsyncDisposable {
  readonly #options: ResolvedSandboxLavalinkOptions;
  readonly #catalogue: TrackCatalogue;
  readonly #state: NodeState;
  readonly #sockets = new Set<Socket>();
  readonly #http: Server;
  readonly #websocket: LavalinkSocketServer;
  readonly #requests: LavalinkRequestLogEntry[] = [];
  readonly #messages: LavalinkMessageLogEntry[] = [];
  readonly #connections: LavalinkConnectionLogEntry[] = [];
  readonly #now: () => number;
  readonly #scheduler: NodeScheduler;
  #dead = false;
  #latencyMs = 0;
  #port = 0;
  #closed: Promise<void> | undefined;

  private constructor(options: SandboxLavalinkOptions) {
    super();
    const o = resolveSandboxLavalinkOptions(options);
    this.#options = o;
    this.#now = o.now ?? Date.now;
    this.#catalogue = new TrackCatalogue(o.catalogue);
    this.#state = new NodeState({
      env: {
        now: this.#now,
        voicePingMs: o.voicePingMs,
        cleanupThresholdMs: o.cleanupThresholdMs,
        playbackFailure: (info) => this.#catalogue.playbackFailure(info),
      },
      onMessage: (entry) => {
        append(this.#messages, entry);
        this.emit('message', entry);
      },
    });
    this.#state.load = o.load;
    this.#scheduler = new NodeScheduler({
      state: this.#state,
      statsIntervalMs: o.statsIntervalMs,
      playerUpdateIntervalMs: o.playerUpdateIntervalMs,
      autoAdvance: o.now === undefined,
    });
    const context: RouteContext = {
      state: this.#state,
      catalogue: this.#catalogue,
      info: sandboxNodeInfo(),
      loadLatencyMs: () => o.loadLatencyMs,
    };
    const rest = new LavalinkRestServer({
      password: o.password,
      routes: [...trackRoutes(context), ...playerRoutes(context), ...sessionRoutes(context), ...infoRoutes(context)],
      latencyMs: () => this.#latencyMs,
      now: this.#now,
      beforeRoute: () => this.#state.settle(),
      afterRoute: () => this.#scheduler.arm(),
      onRequest: (entry) => {
        append(this.#requests, entry);
        this.emit('request', entry);
      },
      onError: (error) => this.emit('internalError', error),
    });
    this.#websocket = new LavalinkSocketServer({
      password: o.password,
      state: this.#state,
      onOpened: (session, resumed) => {
        if (!resumed) session.send({ op: 'stats', ...this.#state.stats(session) });
        this.#scheduler.arm();
      },
      onConnection: (entry) => {
        append(this.#connections, entry);
        this.emit('connection', entry);
        this.#scheduler.arm();
      },
    });
    this.#http = createServer((request, response) => void rest.handle(request, response));
    this.#http.on('connection', (socket: Socket) => {
      // A dead node refuses connections: they are dropped before a byte is read.
      if (this.#dead) {
        socket.destroy();
        return;
      }
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.#http.on('upgrade', (request, socket, head) => {
      const path = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname;
      if (path === '/v4/websocket') this.#websocket.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
  }

  /** Starts a node listening on an ephemeral loopback port (unless `port` is given). */
  public static async start(options: SandboxLavalinkOptions = {}): Promise<SandboxLavalink> {
    const node = new SandboxLavalink(options);
    await new Promise<void>((resolve, reject) => {
      node.#http.once('error', reject);
      node.#http.listen(node.#options.port, node.#options.host, () => resolve());
    });
    node.#port = (node.#http.address() as AddressInfo).port;
    node.#scheduler.start();
    return node;
  }

  public get name(): string {
    return this.#options.name;
  }

  public get host(): string {
    return this.#options.host;
  }

  public get port(): number {
    return this.#port;
  }

  public get password(): string {
    return this.#options.password;
  }

  /** The REST base, e.g. `http://127.0.0.1:PORT`. */
  public get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** `host:port`, what shoukaku's `NodeOption.url` takes. */
  public get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** The websocket URL, `ws://host:port/v4/websocket`. */
  public get websocketUrl(): string {
    return `ws://${this.address}/v4/websocket`;
  }

  /** A shoukaku node option for this node. */
  public nodeOption(name = this.name): SandboxNodeOption {
    return { name, url: this.address, auth: this.password, secure: false };
  }

  /** The catalogue the node loads from, e.g. to get an encoded track without a REST call. */
  public get catalogue(): TrackCatalogue {
    return this.#catalogue;
  }

  /** False between `kill()` and `revive()`. */
  public get alive(): boolean {
    return !this.#dead;
  }

  /**
   * Kills the node: every websocket is dropped without a close frame, open HTTP connections are destroyed, and new
   * connections are refused until `revive()`. Resumable sessions wait for their client (and keep playing, as
   * Lavalink does) unless `forgetSessions`.
   */
  public kill(options: KillOptions = {}): void {
    this.#dead = true;
    this.dropConnections();
    if (options.forgetSessions) this.#state.forgetAll();
    this.#scheduler.arm();
  }

  /** Accepts connections again: clients open new sessions or resume paused ones. */
  public revive(): void {
    this.#dead = false;
  }

  /**
   * Drops every websocket and HTTP connection without a close frame while the node stays up, like a network blip:
   * a client that reconnects at once resumes its session (if it enabled resuming).
   */
  public dropConnections(): void {
    this.#websocket.terminateAll();
    for (const socket of this.#sockets) socket.destroy();
    this.#scheduler.arm();
  }

  /** Restarts the node: connections drop, every session and player is lost, and connections are accepted again. */
  public restart(): void {
    this.kill({ forgetSessions: true });
    this.revive();
  }

  /** Adds latency to every REST answer (0 removes it). */
  public slow(ms: number): void {
    this.#latencyMs = Math.max(0, ms);
  }

  /** Changes the CPU and frame figures reported in `stats` (what shoukaku's node penalties are computed from). */
  public setLoad(load: Partial<NodeLoad>): void {
    this.#state.load = { ...this.#state.load, ...load };
  }

  /**
   * Fails the guild's current track: `exception` sends TrackExceptionEvent then TrackEndEvent (`loadFailed` at
   * position 0, `finished` later) and clears the track; `stuck` sends TrackStuckEvent and freezes the position
   * until the client seeks, replaces or stops the track. Throws when the guild has no track.
   */
  public failTrack(guildId: string, failure: InjectedTrackFailure, sessionId?: string): void {
    this.#state.settle();
    this.#requirePlayer(guildId, sessionId).fail(failure);
    this.#scheduler.arm();
  }

  /** Simulates Discord closing the voice connection: WebSocketClosedEvent, and playback stalls until new voice. */
  public closeVoice(guildId: string, close: VoiceClose = {}, sessionId?: string): void {
    this.#state.settle();
    this.#requirePlayer(guildId, sessionId).closeVoice(close);
    this.#scheduler.arm();
  }

  /** Every player of every session. */
  public players(): readonly SandboxPlayerSnapshot[] {
    const now = this.#now();
    return [...this.#state.sessions.values()].flatMap((session) =>
      [...session.players.values()].map((player) => snapshotPlayer(session.id, player, now)),
    );
  }

  /** The guild's player (of the given session, or of the first session that has one). */
  public player(guildId: string, sessionId?: string): SandboxPlayerSnapshot | undefined {
    return this.players().find((p) => p.guildId === guildId && (sessionId === undefined || p.sessionId === sessionId));
  }

  /** Open and paused sessions. */
  public get sessions(): readonly LavalinkSessionInfo[] {
    return [...this.#state.sessions.values()].map((s) => s.info);
  }

  /** Every REST request so far (the latest 10 000). */
  public get requests(): readonly LavalinkRequestLogEntry[] {
    return [...this.#requests];
  }

  /** Every websocket message so far (the latest 10 000). */
  public get messages(): readonly LavalinkMessageLogEntry[] {
    return [...this.#messages];
  }

  /** Websocket handshakes and closes so far (the latest 10 000). */
  public get connections(): readonly LavalinkConnectionLogEntry[] {
    return [...this.#connections];
  }

  /** Runs the time events that are due on the node's clock; call it after moving an injected clock. */
  public tick(): void {
    this.#scheduler.tick();
  }

  /** Stops the node: sessions end, connections drop, the port closes. Safe to call more than once. */
  public close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#scheduler.stop();
      await this.#websocket.close();
      this.#state.forgetAll();
      this.#http.closeAllConnections();
      await new Promise<void>((resolve) => this.#http.close(() => resolve()));
    })();
    return this.#closed;
  }

  public async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #requirePlayer(guildId: string, sessionId: string | undefined): SandboxPlayer {
    for (const session of this.#state.sessions.values()) {
      if (sessionId !== undefined && session.id !== sessionId) continue;
      const player = session.players.get(guildId);
      if (player) return player;
    }
    throw new Error(`The sandbox Lavalink node ${this.name} has no player for guild ${guildId}`);
  }
}

function append<T>(log: T[], entry: T): void {
  log.push(entry);
  if (log.length > LOG_LIMIT) log.shift();
}
