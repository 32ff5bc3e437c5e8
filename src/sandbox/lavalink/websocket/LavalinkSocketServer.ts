import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { LavalinkSession } from '../state/LavalinkSession.js';
import type { NodeState } from '../state/NodeState.js';

/** A websocket connection event, for tests and the demo. */
export interface LavalinkConnectionLogEntry {
  /** `opened`: a new session; `resumed`: a paused one taken over; `rejected`: the handshake failed. */
  readonly kind: 'opened' | 'resumed' | 'rejected' | 'closed';
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly clientName: string | null;
  /** The HTTP status of a rejected handshake. */
  readonly status?: number;
  /** The close code of a closed websocket (1006 when it was dropped). */
  readonly code?: number;
  /** Wall-clock time, ms since the epoch. */
  readonly at: number;
}

/** What the websocket server is built from. */
export interface LavalinkSocketServerInit {
  readonly password: string;
  readonly state: NodeState;
  /** A session got its websocket (after `ready` was sent). */
  onOpened(session: LavalinkSession, resumed: boolean): void;
  onConnection(entry: LavalinkConnectionLogEntry): void;
}

interface Handshake {
  readonly userId: string;
  readonly clientName: string | null;
  readonly resume: LavalinkSession | undefined;
}

const USER_ID = /^\d{1,20}$/;

/**
 * `/v4/websocket`: checks `Authorization` and `User-Id`, resumes a paused session named by `Session-Id` (answering
 * the `Session-Resumed` header shoukaku reads) or opens a new one, and sends `ready`.
 */
export class LavalinkSocketServer {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #handshakes = new WeakMap<IncomingMessage, Handshake>();
  readonly #open = new Map<WebSocket, { session: LavalinkSession; handshake: Handshake }>();

  public constructor(private readonly init: LavalinkSocketServerInit) {
    this.#wss.on('headers', (headers: string[], request: IncomingMessage) => {
      const resumed = this.#handshakes.get(request)?.resume !== undefined;
      headers.push(`Session-Resumed: ${resumed}`, 'Lavalink-Api-Version: 4');
    });
  }

  /** Takes over an HTTP upgrade request for `/v4/websocket`. */
  public handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const userId = header(request, 'user-id');
    const clientName = header(request, 'client-name') ?? null;
    if (header(request, 'authorization') !== this.init.password) {
      this.#reject(socket, 401, userId, clientName);
      return;
    }
    if (userId === undefined || !USER_ID.test(userId)) {
      this.#reject(socket, 400, userId, clientName);
      return;
    }
    const handshake: Handshake = {
      userId,
      clientName,
      resume: this.init.state.resumable(header(request, 'session-id')),
    };
    this.#handshakes.set(request, handshake);
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, handshake));
  }

  /**
   * Drops every websocket without a close frame. Sessions are marked disconnected at once (not when the close event
   * arrives), so a client reconnecting immediately finds its session resumable.
   */
  public terminateAll(): void {
    for (const ws of [...this.#open.keys()]) this.#closed(ws, 1006);
    for (const client of this.#wss.clients) client.terminate();
  }

  public async close(): Promise<void> {
    this.terminateAll();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, handshake: Handshake): void {
    const { state } = this.init;
    // A session is resumed only while still paused: two clients racing for it get one resume and one new session.
    const resumed = handshake.resume?.paused === true;
    const session = resumed ? handshake.resume! : state.createSession(handshake.userId, handshake.clientName);
    this.#open.set(ws, { session, handshake });
    ws.on('error', () => ws.terminate());
    ws.on('close', (code: number) => this.#closed(ws, code));
    if (resumed) {
      session.resume(ws);
    } else {
      session.attach(ws);
      session.send({ op: 'ready', resumed: false, sessionId: session.id });
    }
    this.#log(resumed ? 'resumed' : 'opened', session.id, handshake);
    this.init.onOpened(session, resumed);
  }

  #closed(ws: WebSocket, code: number): void {
    const entry = this.#open.get(ws);
    if (!entry) return;
    this.#open.delete(ws);
    ws.terminate();
    if (entry.session.owns(ws)) this.init.state.disconnected(entry.session);
    this.#log('closed', entry.session.id, entry.handshake, { code });
  }

  #reject(socket: Duplex, status: number, userId: string | undefined, clientName: string | null): void {
    const response = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
    socket.end(response, () => socket.destroy());
    this.init.onConnection({
      kind: 'rejected',
      sessionId: null,
      userId: userId ?? null,
      clientName,
      status,
      at: Date.now(),
    });
  }

  #log(
    kind: LavalinkConnectionLogEntry['kind'],
    sessionId: string,
    handshake: Handshake,
    extra: { code?: number } = {},
  ): void {
    this.init.onConnection({
      kind,
      sessionId,
      userId: handshake.userId,
      clientName: handshake.clientName,
      ...extra,
      at: Date.now(),
    });
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
