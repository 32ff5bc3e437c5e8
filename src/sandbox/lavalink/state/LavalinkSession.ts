import type { WebSocket } from 'ws';
import type { ServerMessage } from '../protocol/ServerMessage.js';
import { type PlayerEnvironment, SandboxPlayer } from './SandboxPlayer.js';

/** How a websocket message left the node. */
export type MessageDelivery = 'sent' | 'queued' | 'replayed' | 'dropped';

/** One websocket message the node sent (or queued for a resuming client, or dropped). */
export interface LavalinkMessageLogEntry {
  readonly sessionId: string;
  readonly message: ServerMessage;
  readonly delivery: MessageDelivery;
  /** Wall-clock time, ms since the epoch. */
  readonly at: number;
}

/** A session as tests see it. */
export interface LavalinkSessionInfo {
  readonly id: string;
  readonly userId: string;
  readonly clientName: string | null;
  /** `open` with a websocket attached, `paused` while it can be resumed. */
  readonly state: 'open' | 'paused';
  readonly resuming: boolean;
  readonly timeoutSeconds: number;
  readonly players: readonly string[];
  /** How many times a client resumed this session. */
  readonly resumes: number;
}

/** What a session is created with. */
export interface LavalinkSessionInit {
  readonly id: string;
  readonly userId: string;
  readonly clientName: string | null;
  readonly env: PlayerEnvironment;
  onMessage(entry: LavalinkMessageLogEntry): void;
}

/**
 * A Lavalink session: the players of one client connection, which outlive the websocket when the client enabled
 * resuming (`PATCH /v4/sessions/{id}`). While paused, events are queued and replayed on resume; player updates and
 * stats are dropped.
 */
export class LavalinkSession {
  public readonly players = new Map<string, SandboxPlayer>();
  public resuming = false;
  public timeoutSeconds = 60;
  #socket: WebSocket | null = null;
  #pausedAt: number | null = null;
  #queue: ServerMessage[] = [];
  #resumes = 0;

  public constructor(private readonly init: LavalinkSessionInit) {}

  public get id(): string {
    return this.init.id;
  }

  public get paused(): boolean {
    return this.#pausedAt !== null;
  }

  public get info(): LavalinkSessionInfo {
    return {
      id: this.id,
      userId: this.init.userId,
      clientName: this.init.clientName,
      state: this.paused ? 'paused' : 'open',
      resuming: this.resuming,
      timeoutSeconds: this.timeoutSeconds,
      players: [...this.players.keys()],
      resumes: this.#resumes,
    };
  }

  /** Attaches a fresh websocket (a new session). */
  public attach(socket: WebSocket): void {
    this.#socket = socket;
    this.#pausedAt = null;
  }

  /**
   * Attaches the websocket of a resuming client, then does what Lavalink does: replays the queued events, sends a
   * player update per player and finally `ready` with `resumed: true`.
   */
  public resume(socket: WebSocket): void {
    this.attach(socket);
    this.#resumes += 1;
    const queued = this.#queue;
    this.#queue = [];
    for (const message of queued) this.#deliver(message, 'replayed');
    for (const player of this.players.values()) player.sendUpdate();
    this.send({ op: 'ready', resumed: true, sessionId: this.id });
  }

  /** Whether `socket` is the websocket currently attached (a resumed session has a new one). */
  public owns(socket: WebSocket): boolean {
    return this.#socket === socket;
  }

  /** Called when the websocket closed; returns whether the session waits to be resumed. */
  public detach(now: number): boolean {
    this.#socket = null;
    if (!this.resuming) return false;
    this.#pausedAt = now;
    return true;
  }

  /** Whether a paused session outlived its resume timeout at `now`. */
  public expired(now: number): boolean {
    return this.#pausedAt !== null && now - this.#pausedAt >= this.timeoutSeconds * 1000;
  }

  /** When a paused session expires, on the node's clock. */
  public expiresAt(): number | undefined {
    return this.#pausedAt === null ? undefined : this.#pausedAt + this.timeoutSeconds * 1000;
  }

  /** Ends the session: players are destroyed without events, since no client is left to receive them. */
  public shutdown(): void {
    this.#socket = null;
    this.#queue = [];
    this.players.clear();
  }

  /** The player of a guild, created on first use like Lavalink's `getPlayer`. */
  public player(guildId: string): SandboxPlayer {
    let player = this.players.get(guildId);
    if (!player) {
      player = new SandboxPlayer(guildId, this.init.env, (message) => this.send(message));
      this.players.set(guildId, player);
    }
    return player;
  }

  /** Destroys a guild's player (`DELETE .../players/{guild}`). */
  public destroyPlayer(guildId: string): void {
    const player = this.players.get(guildId);
    if (!player) return;
    player.destroy();
    this.players.delete(guildId);
  }

  /** Sends a message, queueing events while the session is paused. */
  public send(message: ServerMessage): void {
    if (this.paused) {
      const keep = message.op === 'event';
      if (keep) this.#queue.push(message);
      this.#log(message, keep ? 'queued' : 'dropped');
      return;
    }
    this.#deliver(message, 'sent');
  }

  /** Drops the websocket without a close frame, as a dead network does. */
  public terminate(): void {
    this.#socket?.terminate();
  }

  #deliver(message: ServerMessage, delivery: 'sent' | 'replayed'): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== socket.OPEN) {
      this.#log(message, 'dropped');
      return;
    }
    socket.send(JSON.stringify(message));
    this.#log(message, delivery);
  }

  #log(message: ServerMessage, delivery: MessageDelivery): void {
    this.init.onMessage({ sessionId: this.id, message, delivery, at: Date.now() });
  }
}
