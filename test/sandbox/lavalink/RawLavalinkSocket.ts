import WebSocket from 'ws';
import type { SandboxLavalink, ServerMessage } from '../../../src/sandbox/lavalink/index.js';
import { until } from './until.js';

/** Handshake headers; the node's password and a fixed bot id unless given. */
export interface RawSocketOptions {
  readonly password?: string;
  readonly userId?: string | null;
  readonly clientName?: string | null;
  readonly sessionId?: string;
}

/** A bare Lavalink websocket client that records every message, for protocol-level tests. */
export class RawLavalinkSocket {
  public readonly messages: ServerMessage[] = [];
  public readonly upgradeHeaders: Record<string, string | string[] | undefined> = {};
  #socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data)) as ServerMessage));
    socket.on('upgrade', (response) => Object.assign(this.upgradeHeaders, response.headers));
  }

  /** Connects and waits for the handshake; rejects with the HTTP status when the node refuses it. */
  public static async connect(node: SandboxLavalink, options: RawSocketOptions = {}): Promise<RawLavalinkSocket> {
    const headers: Record<string, string> = { Authorization: options.password ?? node.password };
    const userId = options.userId === undefined ? '1000000000000000001' : options.userId;
    const clientName = options.clientName === undefined ? 'raw-test/1.0.0' : options.clientName;
    if (userId !== null) headers['User-Id'] = userId;
    if (clientName !== null) headers['Client-Name'] = clientName;
    if (options.sessionId) headers['Session-Id'] = options.sessionId;
    const socket = new WebSocket(node.websocketUrl, { headers });
    const client = new RawLavalinkSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_request, response) => {
        reject(new Error(`HTTP ${response.statusCode}`));
        socket.terminate();
      });
      socket.once('error', reject);
    });
    return client;
  }

  /** The session id of the `ready` received. */
  public get sessionId(): string {
    const ready = this.messages.find((m) => m.op === 'ready');
    if (!ready) throw new Error('No ready received yet');
    return ready.sessionId;
  }

  /** Waits for a message matching `predicate` (among those already received, too) and returns it. */
  public async next<T extends ServerMessage>(predicate: (m: ServerMessage) => m is T, what?: string): Promise<T>;
  public async next(predicate: (m: ServerMessage) => boolean, what?: string): Promise<ServerMessage>;
  public async next(predicate: (m: ServerMessage) => boolean, what = 'message'): Promise<ServerMessage> {
    await until(() => this.messages.some(predicate), what);
    return this.messages.find(predicate)!;
  }

  /** Events received so far, as `Type` or `TrackEndEvent:reason` strings. */
  public events(guildId?: string): string[] {
    return this.messages
      .filter((m) => m.op === 'event' && (guildId === undefined || m.guildId === guildId))
      .map((m) =>
        m.op === 'event' && m.type === 'TrackEndEvent' ? `${m.type}:${m.reason}` : m.op === 'event' ? m.type : '',
      );
  }

  /** Closes with a close frame (a clean client disconnect). */
  public async close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.#socket.once('close', () => resolve()));
    this.#socket.close(1000);
    await closed;
  }

  /** Whether the node dropped or closed the connection. */
  public get closed(): boolean {
    return this.#socket.readyState === WebSocket.CLOSED;
  }
}
