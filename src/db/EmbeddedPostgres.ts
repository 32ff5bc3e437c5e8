import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Where the embedded server listens: loopback, on a port the OS chose. */
export interface EmbeddedEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

/**
 * PostgreSQL without a server: PGlite (PostgreSQL compiled to WebAssembly, in this process) keeping its files in
 * `dataDir`, served over the PostgreSQL wire protocol on 127.0.0.1 by pglite-socket. The bot then talks to it with
 * the same `pg` driver, drizzle driver and instrumentation-pg as to a real server.
 *
 * PGlite is a single backend session: every connection shares one transaction state, one set of `SET`s and one set
 * of session advisory locks. The socket server queues queries and keeps a transaction to the connection that opened
 * it, but session state stays shared, so clients should use one connection (a pool of 1). Queries run on the main
 * thread: a slow query blocks the event loop for its duration.
 */
export class EmbeddedPostgres {
  #db: PGlite | undefined;
  #server: PGLiteSocketServer | undefined;
  #endpoint: EmbeddedEndpoint | undefined;

  /**
   * @param dataDir directory of the database files (created if missing); `memory://` keeps everything in memory
   * @param maxConnections connections the socket server accepts at once; more than the pool's 1 so a replacement
   *   connection is not refused while the server still counts the one it replaces
   */
  constructor(
    readonly dataDir: string,
    private readonly maxConnections = 4,
  ) {}

  /** Opens the database files (creating the cluster on first use) and starts listening. */
  async start(): Promise<EmbeddedEndpoint> {
    if (this.#endpoint) return this.#endpoint;
    // Imported here so a bot pointed at a real server never loads the WebAssembly build.
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-socket'),
    ]);
    if (!this.dataDir.startsWith('memory://')) await mkdir(this.dataDir, { recursive: true });
    const db = new PGlite(this.dataDir);
    await db.waitReady;
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: this.maxConnections });
    try {
      await server.start();
    } catch (error) {
      await db.close();
      throw error;
    }
    this.#db = db;
    this.#server = server;
    const [host = '127.0.0.1', port = '0'] = server.getServerConn().split(':');
    this.#endpoint = { host, port: Number(port), user: 'postgres', database: 'postgres' };
    return this.#endpoint;
  }

  /** Where it listens, once started. */
  get endpoint(): EmbeddedEndpoint | undefined {
    return this.#endpoint;
  }

  /** Stops listening, then closes the database (flushing it to disk). Safe to call twice. */
  async close(): Promise<void> {
    const server = this.#server;
    const db = this.#db;
    this.#server = undefined;
    this.#db = undefined;
    this.#endpoint = undefined;
    await server?.stop();
    if (db && !db.closed) await db.close();
  }
}
