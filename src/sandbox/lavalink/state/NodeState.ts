import { randomInt } from 'node:crypto';
import type { LavalinkStats } from '../protocol/ServerMessage.js';
import { buildStats } from './buildStats.js';
import { type LavalinkMessageLogEntry, LavalinkSession } from './LavalinkSession.js';
import { DefaultNodeLoad, type NodeLoad } from './NodeLoad.js';
import type { PlayerEnvironment } from './SandboxPlayer.js';

/** What the node's state is built from. */
export interface NodeStateInit {
  readonly env: PlayerEnvironment;
  onMessage(entry: LavalinkMessageLogEntry): void;
}

const SESSION_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The sessions of a sandbox node and everything time does to them. */
export class NodeState {
  public readonly sessions = new Map<string, LavalinkSession>();
  public load: NodeLoad = DefaultNodeLoad;
  readonly #startedAt: number;

  public constructor(private readonly init: NodeStateInit) {
    this.#startedAt = init.env.now();
  }

  public now(): number {
    return this.init.env.now();
  }

  /** A new session with a fresh 16-character id, like Lavalink's. */
  public createSession(userId: string, clientName: string | null): LavalinkSession {
    let id: string;
    do {
      id = Array.from({ length: 16 }, () => SESSION_ID_ALPHABET[randomInt(SESSION_ID_ALPHABET.length)]).join('');
    } while (this.sessions.has(id));
    const session = new LavalinkSession({
      id,
      userId,
      clientName,
      env: this.init.env,
      onMessage: this.init.onMessage,
    });
    this.sessions.set(id, session);
    return session;
  }

  /** The paused session a client may resume with `Session-Id`, unless it expired. */
  public resumable(sessionId: string | undefined): LavalinkSession | undefined {
    if (sessionId === undefined) return undefined;
    this.settle();
    const session = this.sessions.get(sessionId);
    return session?.paused ? session : undefined;
  }

  /** The session REST calls may use: only one with a websocket attached, as in Lavalink. */
  public openSession(sessionId: string): LavalinkSession | undefined {
    const session = this.sessions.get(sessionId);
    return session && !session.paused ? session : undefined;
  }

  /** The websocket of a session closed: it waits to be resumed, or ends. */
  public disconnected(session: LavalinkSession): void {
    if (!session.detach(this.now())) this.#end(session);
  }

  /** Forgets every session at once, as a node that restarted would. */
  public forgetAll(): void {
    for (const session of [...this.sessions.values()]) this.#end(session);
  }

  /** Runs every time event due now: track ends and failures, cleanups, expired resume windows. */
  public settle(): void {
    const now = this.now();
    for (const session of [...this.sessions.values()]) {
      if (session.expired(now)) {
        this.#end(session);
        continue;
      }
      for (const player of session.players.values()) player.settle(now);
    }
  }

  /** When the next time event is due on the node's clock; undefined when nothing is pending. */
  public nextDueAt(): number | undefined {
    let next: number | undefined;
    const consider = (at: number | undefined): void => {
      if (at !== undefined && (next === undefined || at < next)) next = at;
    };
    for (const session of this.sessions.values()) {
      consider(session.expiresAt());
      for (const player of session.players.values()) consider(player.nextDueAt());
    }
    return next;
  }

  /** Stats as the `stats` op (with the session's frame stats) or `GET /v4/stats` (without) report them. */
  public stats(forSession?: LavalinkSession): LavalinkStats {
    return buildStats({
      sessions: this.sessions.values(),
      uptimeMs: this.now() - this.#startedAt,
      load: this.load,
      ...(forSession ? { forSession } : {}),
    });
  }

  #end(session: LavalinkSession): void {
    session.shutdown();
    this.sessions.delete(session.id);
  }
}
