import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { classifyDbError, type DbErrorType, RowNotFoundError } from '../../src/db/errors/classifyDbError.js';
import { DbError } from '../../src/db/errors/DbError.js';
import { guildSettings } from '../../src/db/schema.js';
import { TcpProxy } from '../support/TcpProxy.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

/** The error `run` rejects with. */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.fail('expected the statement to fail');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('classifyDbError on errors from real statements', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase();
    await db.database.migrate();
  });
  after(() => db.close());

  const expect = (type: DbErrorType, error: unknown, code?: string) => {
    assert.equal(classifyDbError(error), type, String(error));
    if (code) assert.equal((error as { code?: string }).code, code);
  };

  it('unique violation (23505) is constraint', async () => {
    const pool = db.database.pool;
    await pool.query(`INSERT INTO guild_settings (guild_id) VALUES ('1')`);
    expect(
      'constraint',
      await failure(() => pool.query(`INSERT INTO guild_settings (guild_id) VALUES ('1')`)),
      '23505',
    );
  });

  it('check violation (23514) and not-null violation (23502) are constraint', async () => {
    const pool = db.database.pool;
    expect(
      'constraint',
      await failure(() => pool.query(`INSERT INTO guild_settings (guild_id, default_volume) VALUES ('2', 999)`)),
      '23514',
    );
    expect(
      'constraint',
      await failure(() => pool.query('INSERT INTO guild_settings (guild_id) VALUES (NULL)')),
      '23502',
    );
  });

  it("a driver error wrapped by drizzle is classified by its cause, and DbError drops drizzle's parameters", async () => {
    const orm = db.database.orm;
    await orm.insert(guildSettings).values({ guildId: '3' });
    const error = await failure(() => orm.insert(guildSettings).values({ guildId: '3', djRoleId: 'secret-ish' }));
    assert.match(String((error as Error).message), /params/);
    expect('constraint', error);
    const wrapped = new DbError({ operation: 'INSERT', collection: 'guild_settings' }, error);
    assert.equal(wrapped.code, '23505');
    assert.equal(wrapped.errorType, 'constraint');
    assert.doesNotMatch(wrapped.message, /secret-ish/);
    assert.equal(wrapped.transient, false);
  });

  it('syntax error (42601), undefined table (42P01) and undefined column (42703) are syntax', async () => {
    const pool = db.database.pool;
    expect('syntax', await failure(() => pool.query('SELEC 1')), '42601');
    expect('syntax', await failure(() => pool.query('SELECT * FROM no_such_table')), '42P01');
    expect('syntax', await failure(() => pool.query('SELECT no_such_column FROM guild_settings')), '42703');
  });

  it('no_data_found (P0002) from a STRICT select is not_found', async () => {
    const error = await failure(() =>
      db.database.pool.query('DO $$ DECLARE x int; BEGIN SELECT 1 INTO STRICT x WHERE false; END $$'),
    );
    expect('not_found', error, 'P0002');
    assert.equal(classifyDbError(new RowNotFoundError('no such play')), 'not_found');
  });

  it('a statement past the statement timeout is timeout', async () => {
    // A real server cancels it at 100 ms (57014). PGlite has no timers inside WebAssembly and ignores
    // statement_timeout; the pool's client-side timeout (1 s later) is what ends the query there.
    const database = await db.connect({ statementTimeoutMs: 100 });
    const error = await failure(() => database.pool.query('SELECT pg_sleep(2)'));
    expect('timeout', error);
    assert.equal((error as { code?: string }).code, db.engine === 'postgres' ? '57014' : undefined);
    await database.close();
  });

  it('SET statement_timeout = 1 then pg_sleep is timeout on a real server (57014)', async () => {
    const client = await db.database.pool.connect();
    // A 1 ms timeout can cancel anything on this session, the RESET too, and a loaded machine has seen the session
    // end after the cancel: the error the session may emit is not what this test is about. The client is discarded,
    // never handed back to the pool with its settings changed.
    const sessionErrors: Error[] = [];
    client.on('error', (error: Error) => sessionErrors.push(error));
    try {
      await client.query('SET statement_timeout = 1');
      const error = await failure(() => client.query({ text: 'SELECT pg_sleep(1)', query_timeout: 500 } as never));
      expect('timeout', error);
      if (db.engine === 'postgres') assert.equal((error as { code?: string }).code, '57014');
    } finally {
      client.release(true);
    }
  });

  it('connection refused on a closed port is connection', async () => {
    const port = await closedPort();
    const { Database } = await import('../../src/db/Database.js');
    const database = new Database({ url: `postgres://postgres@127.0.0.1:${port}/nothing`, connectionTimeoutMs: 2000 });
    await database.start();
    const error = await failure(() => database.pool.query('SELECT 1'));
    expect('connection', error, 'ECONNREFUSED');
    await database.close();
  });

  it('a connection reset in the middle of a query is connection', async () => {
    const endpoint = db.database.endpoint;
    assert.ok(endpoint);
    const proxy = new TcpProxy(endpoint);
    const port = await proxy.start();
    const database = await db.connect();
    const url = new URL(db.url);
    url.host = `127.0.0.1:${port}`;
    const { Database } = await import('../../src/db/Database.js');
    const proxied = new Database({ url: url.href, poolSize: 1 });
    await proxied.start();
    await proxied.pool.query('SELECT 1');
    proxy.dropNextQuery();
    const error = await failure(() => proxied.pool.query('SELECT 2'));
    expect('connection', error);
    assert.match((error as Error).message, /Connection terminated/);
    await proxied.close();
    await proxy.stop();
    await database.close();
  });

  it('a backend terminated by pg_terminate_backend (57P01) is connection', async () => {
    if (db.engine === 'pglite') {
      // PGlite is one backend that cannot be terminated; the same SQLSTATE is classified from its code.
      expect('connection', Object.assign(new Error('terminating connection'), { code: '57P01' }));
      return;
    }
    const victim = await db.database.pool.connect();
    const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const running = failure(() => victim.query('SELECT pg_sleep(5)'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killer = await db.connect();
    await killer.pool.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
    expect('connection', await running, '57P01');
    victim.release(true);
  });
});

describe('classifyDbError by code', () => {
  const cases: [string, DbErrorType][] = [
    ['57014', 'timeout'],
    ['25P03', 'timeout'],
    ['08006', 'connection'],
    ['08001', 'connection'],
    ['57P01', 'connection'],
    ['57P03', 'connection'],
    ['53300', 'connection'],
    ['40P01', 'deadlock'],
    ['40001', 'deadlock'],
    ['23503', 'constraint'],
    ['42501', 'syntax'],
    ['P0002', 'not_found'],
    ['22P02', 'other'],
    ['XX000', 'other'],
    ['ECONNRESET', 'connection'],
    ['EPIPE', 'connection'],
  ];
  for (const [code, type] of cases) {
    it(`${code} is ${type}`, () => {
      assert.equal(classifyDbError(Object.assign(new Error('x'), { code })), type);
    });
  }

  it('reads driver messages without a code', () => {
    assert.equal(classifyDbError(new Error('Query read timeout')), 'timeout');
    assert.equal(classifyDbError(new Error('timeout exceeded when trying to connect')), 'connection');
    assert.equal(classifyDbError(new Error('Connection terminated due to connection timeout')), 'connection');
  });

  it('follows cause chains, and gives other for anything else', () => {
    const inner = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    assert.equal(classifyDbError(new Error('outer', { cause: new Error('middle', { cause: inner }) })), 'deadlock');
    assert.equal(classifyDbError(new Error('boom')), 'other');
    assert.equal(classifyDbError('a string'), 'other');
    assert.equal(classifyDbError(undefined), 'other');
  });

  it('marks connection and deadlock errors transient, nothing else', () => {
    const context = { operation: 'SELECT', collection: 't' };
    const transient = (code: string) => new DbError(context, Object.assign(new Error(code), { code })).transient;
    assert.equal(transient('08006'), true);
    assert.equal(transient('40001'), true);
    assert.equal(transient('23505'), false);
    assert.equal(transient('42601'), false);
    assert.equal(transient('57014'), false);
  });
});
