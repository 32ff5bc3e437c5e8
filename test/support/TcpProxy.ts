import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { PgFrontendReader } from './PgFrontendReader.js';

/**
 * A TCP proxy between the bot's pool and the database, to stage outages the same way on both engines: connections
 * reset in the middle of a query, connections refused, and recovery on the same port. It also records the text of
 * every query it delivers, as the database receives it (sqlcommenter comments included).
 */
export class TcpProxy {
  /** Query texts delivered to the database (simple queries and extended-protocol Parses), in order. */
  readonly queries: string[] = [];
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  #dropNext = false;
  #hanging = false;

  constructor(private readonly target: { readonly host: string; readonly port: number }) {}

  /** Listens on 127.0.0.1 (an ephemeral port the first time, the same port after {@link stop}). */
  async start(): Promise<number> {
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    this.#port = address.port;
    this.#server = server;
    return this.#port;
  }

  get port(): number {
    return this.#port;
  }

  /** The next bytes any client sends (on a warm connection: a query) are not delivered; the connection is reset. */
  dropNextQuery(): void {
    this.#dropNext = true;
  }

  /**
   * A database that stopped answering without closing anything (a blackholed host): connections stay open and new
   * ones are accepted, but nothing a client sends is delivered, so every query and every connect waits for a timeout.
   */
  hang(): void {
    this.#hanging = true;
  }

  /** Resets every connection through the proxy. */
  cut(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** An outage: new connections are refused and live ones reset, until {@link start} is called again. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #pipe(client: Socket): void {
    if (this.#hanging) {
      this.#sockets.add(client);
      client.on('error', () => undefined);
      client.on('close', () => this.#sockets.delete(client));
      return;
    }
    const upstream = tcpConnect(this.target.port, this.target.host);
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(socket);
      // A reset is the point of this proxy; the side that sees it just closes the other.
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.#sockets.delete(socket);
        other.destroy();
      });
    }
    const reader = new PgFrontendReader((text) => this.queries.push(text));
    client.on('data', (chunk) => {
      if (this.#hanging) return;
      if (this.#dropNext) {
        this.#dropNext = false;
        client.destroy();
        upstream.destroy();
        return;
      }
      reader.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
  }
}
