import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultMigrationsFolder, migrate } from '../../src/db/migrate.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const Tables = ['guild_settings', 'play_history', 'queue_snapshots'];

describe('migrations', () => {
  let db: TestDatabase;
  const journal = JSON.parse(readFileSync(join(defaultMigrationsFolder(), 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };

  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  const tables = async () => {
    const { rows } = await db.database.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    return rows.map((r) => r.table_name);
  };
  const journalRows = async () => {
    const { rows } = await db.database.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM drizzle.__drizzle_migrations',
    );
    return Number(rows[0]?.n);
  };

  it('GIVEN an empty database WHEN migrated THEN every table exists and the journal lists every migration', async () => {
    assert.deepEqual(await tables(), []);
    const result = await db.database.migrate();
    assert.equal(result.total, journal.entries.length);
    assert.equal(result.applied, journal.entries.length);
    assert.deepEqual(await tables(), Tables);
    assert.equal(await journalRows(), journal.entries.length);
  });

  it('creates the indexes the history queries rely on', async () => {
    const { rows } = await db.database.pool.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'play_history' ORDER BY indexname`,
    );
    assert.deepEqual(
      rows.map((r) => r.indexname),
      [
        'play_history_guild_started_idx',
        'play_history_member_started_idx',
        'play_history_pkey',
        'play_history_started_idx',
      ],
    );
  });

  it('is idempotent: a second run applies nothing', async () => {
    const result = await db.database.migrate();
    assert.equal(result.applied, 0);
    assert.equal(await journalRows(), journal.entries.length);
  });

  it(`GIVEN several pools migrating at once THEN none fails and each migration is applied once`, async () => {
    await db.database.pool.query('DROP SCHEMA drizzle CASCADE');
    await db.database.pool.query(`DROP TABLE ${Tables.join(', ')}`);
    const others = await Promise.all([db.connect(), db.connect(), db.connect()]);
    const results = await Promise.all([db.database, ...others].map((database) => database.migrate()));
    // The embedded server accepts a handful of connections; give theirs back.
    await Promise.all(others.map((database) => database.close()));
    assert.equal(
      results.reduce((sum, r) => sum + r.applied, 0),
      journal.entries.length,
      `exactly one run applied the migrations: ${JSON.stringify(results)}`,
    );
    assert.deepEqual(await tables(), Tables);
    assert.equal(await journalRows(), journal.entries.length);
  });

  it('a migration that fails rolls the whole run back', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'metronome-migrations-'));
    try {
      await mkdir(join(folder, 'meta'));
      const entry = { idx: 0, version: '7', when: Date.now() + 1000, tag: '0000_broken', breakpoints: true };
      await writeFile(
        join(folder, 'meta', '_journal.json'),
        JSON.stringify({ version: '7', dialect: 'postgresql', entries: [entry] }),
      );
      await writeFile(
        join(folder, '0000_broken.sql'),
        'CREATE TABLE half_done (id int);\n--> statement-breakpoint\nSELEC broken;',
      );
      await assert.rejects(migrate(db.database.pool, { migrationsFolder: folder }), { code: '42601' });
      assert.deepEqual(await tables(), Tables, 'half_done was rolled back');
      assert.equal(await journalRows(), journal.entries.length);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('defaultMigrationsFolder', () => {
  it('finds drizzle/ above the compiled module', () => {
    assert.match(defaultMigrationsFolder(), /[/\\]drizzle$/);
  });

  it('says where it looked when there is none', () => {
    assert.throws(
      () => defaultMigrationsFolder('file:///nowhere/src/db/migrate.js'),
      /no drizzle\/meta\/_journal.json/,
    );
  });
});
