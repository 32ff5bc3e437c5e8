import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Database, DefaultDatabaseOptions } from '../../src/db/Database.js';
import { GuildSettingsRepository } from '../../src/db/repositories/GuildSettingsRepository.js';
import { DbInstruments } from '../../src/telemetry/DbInstruments.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

describe('Database', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  it('uses a real server with a URL and embedded PGlite without one', () => {
    assert.equal(new Database({ url: 'postgres://u@127.0.0.1:5432/x' }).engine, 'postgres');
    assert.equal(new Database({ dataDir: 'memory://' }).engine, 'pglite');
    assert.equal(db.database.engine, process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('gives the pool one connection on the embedded server and the configured size on a real one', () => {
    const max = (db.database.pool as unknown as { options: { max: number } }).options.max;
    assert.equal(max, db.engine === 'pglite' ? 1 : DefaultDatabaseOptions.poolSize);
  });

  it('answers ping and reports the pool in details()', async () => {
    await db.database.ping();
    const details = db.database.details();
    assert.equal(details.engine, db.engine);
    assert.ok(details.pool && details.pool.total >= 1);
  });

  it('names its connections and limits statements on a real server (PGlite ignores both)', async () => {
    const { rows } = await db.database.pool.query<{ app: string; timeout: string }>(
      `SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout`,
    );
    if (db.engine === 'postgres') assert.deepEqual(rows[0], { app: 'metronome', timeout: '10s' });
    else assert.deepEqual(rows[0], { app: '', timeout: '0' });
  });

  it('describes its endpoint without a password', () => {
    const endpoint = db.database.endpoint;
    assert.ok(endpoint);
    assert.equal(typeof endpoint.port, 'number');
    assert.ok(!('password' in endpoint));
  });

  it('refuses use before start and after close, and closes twice without complaint', async () => {
    const database = new Database({ dataDir: 'memory://' });
    assert.throws(() => database.pool, /start\(\) has not been called/);
    assert.deepEqual(database.details(), { engine: 'pglite', pool: null });
    await database.start();
    await database.ping();
    await database.close();
    await database.close();
    assert.throws(() => database.orm, /start\(\) has not been called/);
  });

  it('serves repositories built before start(), as the composition root builds them', async () => {
    const database = new Database({ dataDir: 'memory://' });
    const settings = new GuildSettingsRepository(database, new DbInstruments(globalInstruments()));
    await assert.rejects(settings.get('1'), {
      name: 'DbError',
      errorType: 'other',
      message: /start\(\) has not been called/,
    });
    await database.start();
    try {
      await database.migrate();
      assert.equal(await settings.get('1'), null);
    } finally {
      await database.close();
    }
  });

  it('creates the embedded data directory, nested, on first start', async () => {
    const root = await mkdtemp(join(tmpdir(), 'metronome-datadir-'));
    const database = new Database({ dataDir: join(root, 'a', 'b') });
    try {
      await database.start();
      await database.ping();
      assert.ok((await stat(join(root, 'a', 'b', 'PG_VERSION'))).isFile());
    } finally {
      await database.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('npm run db:migrate (migrateCli)', () => {
  const cli = fileURLToPath(new URL('../../src/db/migrateCli.js', import.meta.url));
  const run = promisify(execFile);
  let db: TestDatabase;
  let cwd: string;

  before(async () => {
    db = await openTestDatabase();
    cwd = await mkdtemp(join(tmpdir(), 'metronome-cli-'));
  });
  after(async () => {
    await db.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('applies the migrations once, then reports the schema up to date', async () => {
    // With DATABASE_URL: the test database. Without: the embedded default, ./data/pglite under the working directory.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    if (db.engine === 'postgres') env.DATABASE_URL = db.url;
    const first = await run(process.execPath, [cli], { cwd, env });
    assert.match(first.stdout, /applied 1 of 1 migrations/);
    const second = await run(process.execPath, [cli], { cwd, env });
    assert.match(second.stdout, /applied 0 of 1 migrations/);
    if (db.engine === 'pglite') assert.match(second.stdout, /embedded database in \.\/data\/pglite/);
  });

  it('exits 1 with the reason when the database cannot be reached', async () => {
    const env = { PATH: process.env.PATH, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' };
    await assert.rejects(run(process.execPath, [cli], { cwd, env }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /migration failed: .*ECONNREFUSED/);
      return true;
    });
  });
});
