import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, DatabaseEngine, DatabaseOptions } from '../../../src/db/Database.js';

/** A database of its own for one test file, on the engine the environment selects. */
export interface TestDatabase {
  readonly engine: DatabaseEngine;
  /** Started, not migrated. Replaced by {@link reopen}. */
  readonly database: Database;
  /** URL of the same database, for further pools (no password: the test server trusts local connections). */
  readonly url: string;
  /** Another `Database` on the same data ("another process"; `url` overridable), started; closed by {@link close}. */
  connect(options?: Partial<DatabaseOptions>): Promise<Database>;
  /** A restart: closes {@link database} and opens a new one on the same data (same PGlite directory). */
  reopen(): Promise<Database>;
  close(): Promise<void>;
}

/**
 * With `DATABASE_URL` set (CI): a fresh `metronome_test_<random>` database on that server, dropped at the end.
 * Without: embedded PGlite in a fresh directory under the OS temp dir, removed at the end. Either way the test file
 * cannot collide with another running in parallel.
 *
 * Modules that load `pg` are imported here lazily, so a test can register instrumentation-pg before pg loads.
 */
export async function openTestDatabase(options: Partial<DatabaseOptions> = {}): Promise<TestDatabase> {
  const { Database } = await import('../../../src/db/Database.js');
  const serverUrl = process.env.DATABASE_URL;
  const extra: Database[] = [];
  const connectTo =
    (url: string) =>
    async (more: Partial<DatabaseOptions> = {}) => {
      // A second pool on PGlite must stay at one connection, like the embedded one (it is one session).
      const database = new Database({ poolSize: serverUrl ? 4 : 1, ...options, url, ...more });
      await database.start();
      extra.push(database);
      return database;
    };
  const closeExtra = async () => {
    await Promise.all(extra.map((database) => database.close()));
  };

  if (serverUrl) {
    const name = `metronome_test_${randomBytes(6).toString('hex')}`;
    await admin(serverUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const open = async () => {
      const database = new Database({ ...options, url: url.href });
      await database.start();
      return database;
    };
    const handle = {
      engine: 'postgres' as const,
      database: await open(),
      url: url.href,
      connect: connectTo(url.href),
      reopen: async () => {
        await handle.database.close();
        handle.database = await open();
        return handle.database;
      },
      close: async () => {
        await closeExtra();
        await handle.database.close();
        await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
    return handle;
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'metronome-pglite-'));
  const open = async () => {
    const database = new Database({ ...options, dataDir });
    await database.start();
    const endpoint = database.endpoint;
    if (!endpoint) throw new Error('embedded database has no endpoint');
    return { database, url: `postgres://${endpoint.user}@${endpoint.host}:${endpoint.port}/${endpoint.database}` };
  };
  const first = await open();
  const handle = {
    engine: 'pglite' as const,
    database: first.database,
    // The embedded server listens on a new port after a reopen; further pools made before then keep the old one.
    url: first.url,
    connect: (more?: Partial<DatabaseOptions>) => connectTo(handle.url)(more),
    reopen: async () => {
      await closeExtra();
      await handle.database.close();
      const next = await open();
      handle.database = next.database;
      handle.url = next.url;
      return next.database;
    },
    close: async () => {
      await closeExtra();
      await handle.database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Resolves once `condition` holds, polling; rejects with `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
