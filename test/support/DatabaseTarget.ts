import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../src/config/Secret.js';
import type { ConfigOverrides } from '../../src/config/schema.js';

/**
 * A database of its own for one bot (or a line of bots started one after the other), on the engine the
 * environment selects: with `DATABASE_URL` (CI) a fresh `metronome_test_<random>` database on that server, dropped
 * by {@link close}; without, a fresh PGlite data directory under the OS temp dir, removed by {@link close}. The
 * embedded engine allows one process per directory: never let two bots use one target at the same time.
 */
export class DatabaseTarget {
  private constructor(
    readonly engine: 'postgres' | 'pglite',
    /** The database's URL (postgres), or undefined (pglite). */
    readonly url: string | undefined,
    /** The PGlite data directory (pglite), or undefined (postgres). */
    readonly dataDir: string | undefined,
    private readonly drop: () => Promise<void>,
  ) {}

  static async create(): Promise<DatabaseTarget> {
    const serverUrl = process.env.DATABASE_URL;
    if (serverUrl) {
      const name = `metronome_test_${randomBytes(6).toString('hex')}`;
      await admin(serverUrl, `CREATE DATABASE "${name}"`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return new DatabaseTarget('postgres', url.href, undefined, () =>
        admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'metronome-bot-pglite-'));
    return new DatabaseTarget('pglite', undefined, dataDir, () => rm(dataDir, { recursive: true, force: true }));
  }

  /** The `database` section of an in-process bot's config. */
  overrides(): Pick<ConfigOverrides, 'database'> {
    return { database: this.url ? { url: new Secret(this.url) } : { data_dir: this.dataDir } };
  }

  /** The environment of a bot process. */
  env(): Record<string, string> {
    return this.url ? { DATABASE_URL: this.url } : { METRONOME_DATABASE_DATA_DIR: this.dataDir ?? '' };
  }

  /** Options for a `Database` of the test itself (only while no bot uses an embedded target). */
  databaseOptions(): { url?: string; dataDir?: string } {
    return this.url ? { url: this.url } : { dataDir: this.dataDir };
  }

  async close(): Promise<void> {
    await this.drop();
  }
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
