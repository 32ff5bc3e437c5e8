import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Pool, PoolClient, QueryConfig } from 'pg';

/**
 * Key of the transaction-level advisory lock that serialises migrations across processes ("metronome" in ASCII,
 * read as a number). Any constant works as long as every process of the bot uses the same one.
 */
export const MigrationLockKey = 0x6d_65_74_72_6f_6e_6f_6dn;

/** drizzle's bookkeeping table, so `drizzle-kit migrate` and this runner agree on what has been applied. */
const JournalSchema = 'drizzle';
const JournalTable = '__drizzle_migrations';

/** What a run of {@link migrate} did. */
export interface MigrationResult {
  /** Migrations applied by this run (0 when the database was up to date, or another process got there first). */
  readonly applied: number;
  /** Migrations in the folder. */
  readonly total: number;
}

export interface MigrateOptions {
  /** The folder drizzle-kit generates into (`drizzle/`, holding `meta/_journal.json`). */
  readonly migrationsFolder: string;
  /** Client-side limit on each statement (the server-side statement_timeout is lifted for the run). */
  readonly statementTimeoutMs?: number;
}

/**
 * Applies the migrations drizzle-kit generated that the database has not seen, safely when several processes start
 * at once: everything runs in ONE transaction that first takes `pg_advisory_xact_lock`, so a second process waits,
 * then finds the journal up to date and applies nothing. A failing migration rolls the whole run back.
 *
 * This is drizzle's own migrator (same files via `readMigrationFiles`, same `drizzle.__drizzle_migrations` journal,
 * same "newer than the last applied" rule) with the lock inside its transaction. Around drizzle's `migrate()` a
 * session lock is not enough: drizzle reads the journal outside its transaction, and on embedded PGlite every
 * connection shares one session, so a session lock would be granted to both contenders. A transaction is what the
 * PGlite socket server keeps to one connection, and a transaction lock is released by COMMIT on both engines.
 */
export async function migrate(pool: Pool, options: MigrateOptions): Promise<MigrationResult> {
  const migrations = readMigrationFiles({ migrationsFolder: options.migrationsFolder });
  const client = await pool.connect();
  const run = (text: string, values?: unknown[]) =>
    client.query({ text, values, query_timeout: options.statementTimeoutMs ?? 15 * 60_000 } as QueryConfig);
  let failure: unknown;
  try {
    await run('BEGIN');
    // A migration (or the wait for another process's) may take longer than the pool's statement_timeout.
    await run('SET LOCAL statement_timeout = 0');
    await run(`SELECT pg_advisory_xact_lock(${MigrationLockKey})`);
    await run(`CREATE SCHEMA IF NOT EXISTS "${JournalSchema}"`);
    await run(
      `CREATE TABLE IF NOT EXISTS "${JournalSchema}"."${JournalTable}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
    );
    const { rows } = await run(
      `SELECT created_at FROM "${JournalSchema}"."${JournalTable}" ORDER BY created_at DESC LIMIT 1`,
    );
    const last = rows[0] ? Number((rows[0] as { created_at: string | number }).created_at) : undefined;
    const pending = migrations.filter((migration) => last === undefined || last < migration.folderMillis);
    for (const migration of pending) {
      for (const statement of migration.sql) {
        if (statement.trim()) await run(statement);
      }
      await run(`INSERT INTO "${JournalSchema}"."${JournalTable}" (hash, created_at) VALUES ($1, $2)`, [
        migration.hash,
        migration.folderMillis,
      ]);
    }
    await run('COMMIT');
    return { applied: pending.length, total: migrations.length };
  } catch (error) {
    failure = error;
    await rollback(client);
    throw error;
  } finally {
    // A connection whose run failed may be mid-protocol or dead: discard it rather than return it to the pool.
    client.release(failure instanceof Error ? failure : undefined);
  }
}

/**
 * The `drizzle/` folder of the package this module belongs to: the first ancestor directory holding
 * `drizzle/meta/_journal.json`, so it is found from `src/db` (tsx), `dist/src/db` (build) and `/app/dist/src/db`
 * (image) alike.
 */
export function defaultMigrationsFolder(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no drizzle/meta/_journal.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone, and the server rolled the transaction back with it; the original error is thrown.
  }
}
