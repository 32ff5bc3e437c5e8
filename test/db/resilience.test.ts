import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import type { Database } from '../../src/db/Database.js';
import { DbError } from '../../src/db/errors/DbError.js';
import { HistoryWriter, type PlayRecord } from '../../src/db/HistoryWriter.js';
import { QueueSnapshotWriter } from '../../src/db/QueueSnapshotWriter.js';
import { GuildSettingsRepository } from '../../src/db/repositories/GuildSettingsRepository.js';
import { PlayHistoryRepository } from '../../src/db/repositories/PlayHistoryRepository.js';
import { QueueSnapshotRepository } from '../../src/db/repositories/QueueSnapshotRepository.js';
import { DbInstruments, type HistoryDropReason } from '../../src/telemetry/DbInstruments.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import { TcpProxy } from '../support/TcpProxy.js';
import { eventually, openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const telemetry = new InMemoryTelemetry();
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const Guild = '100000000000000001';

let db: TestDatabase;
let proxy: TcpProxy;
/** The bot's view of the database: every connection goes through the proxy, which the tests break and mend. */
let proxied: Database;
let instruments: DbInstruments;

before(async () => {
  db = await openTestDatabase();
  await db.database.migrate();
  const endpoint = db.database.endpoint;
  assert.ok(endpoint);
  proxy = new TcpProxy(endpoint);
  const port = await proxy.start();
  const url = new URL(db.url);
  url.host = `127.0.0.1:${port}`;
  proxied = await db.connect({ url: url.href, connectionTimeoutMs: 1_000 });
  instruments = new DbInstruments(globalInstruments());
});
after(async () => {
  await proxy.stop();
  await db.close();
});
beforeEach(() => telemetry.reset());

/** A logger that keeps its lines, parsed, for assertions on what was logged. */
function capturedLogs(): { logger: pino.Logger; lines: { level: number; msg: string; [key: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const count = async (table: string) => {
  const { rows } = await db.database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
};

describe('retries', () => {
  it('GIVEN a connection reset during a query THEN the repository retries on a new connection and succeeds', async () => {
    const settings = new GuildSettingsRepository(proxied, instruments);
    await settings.update(Guild, { defaultVolume: 70 });
    proxy.dropNextQuery();
    const stored = await settings.get(Guild);
    assert.equal(stored?.defaultVolume, 70);

    const [span] = telemetry.spans('db GuildSettings.get');
    assert.equal(span?.attributes['retry.count'], 1);
    assert.equal(span?.events.filter((e) => e.name === 'retry').length, 1);
    const op = { operation: 'db GuildSettings.get' };
    assert.equal(await telemetry.total('metronome.retry.attempts', { ...op, outcome: 'retried' }), 1);
    assert.equal(await telemetry.total('metronome.retry.attempts', { ...op, outcome: 'recovered' }), 1);
    assert.equal(
      await telemetry.total('metronome.db.errors', {
        'db.collection.name': 'guild_settings',
        'error.type': 'connection',
      }),
      1,
    );
    const outcomes = (await telemetry.points('metronome.db.query.duration'))
      .filter((p) => p.attributes['db.operation.name'] === 'SELECT')
      .map((p) => p.attributes.outcome)
      .sort();
    assert.deepEqual(outcomes, ['error', 'success'], 'each attempt measured');
  });

  it('GIVEN a constraint violation THEN it fails at once, unretried', async () => {
    const settings = new GuildSettingsRepository(proxied, instruments);
    await assert.rejects(settings.update(Guild, { throttlePerMinute: 0 }), {
      name: 'DbError',
      errorType: 'constraint',
    });
    assert.equal(telemetry.spans('db GuildSettings.update')[0]?.attributes['retry.count'], 0);
    assert.equal(await telemetry.total('metronome.retry.attempts', { operation: 'db GuildSettings.update' }), 0);
  });

  it('GIVEN the database down for longer than the retries THEN the call fails as connection, exhausted', async () => {
    const settings = new GuildSettingsRepository(proxied, instruments);
    const op = { operation: 'db GuildSettings.get' };
    const retried = await telemetry.total('metronome.retry.attempts', { ...op, outcome: 'retried' });
    await proxy.stop();
    try {
      await assert.rejects(
        settings.get(Guild),
        (error) => error instanceof DbError && error.errorType === 'connection',
      );
      assert.equal(await telemetry.total('metronome.retry.attempts', { ...op, outcome: 'retried' }), retried + 3);
      assert.equal(await telemetry.total('metronome.retry.attempts', { ...op, outcome: 'exhausted' }), 1);
    } finally {
      await proxy.start();
    }
  });
});

describe('readiness check', () => {
  it('fails with the class of the error while the database is unreachable, and recovers', async () => {
    const check = proxied.readinessCheck();
    assert.equal(check.name, 'database');
    assert.deepEqual(await check.check(AbortSignal.timeout(2_000)), { ok: true, detail: 'postgres' });
    await proxy.stop();
    const down = await check.check(AbortSignal.timeout(2_000));
    assert.equal(down.ok, false);
    assert.match(down.ok ? '' : down.reason, /^connection: /);
    await proxy.start();
    assert.equal((await check.check(AbortSignal.timeout(2_000))).ok, true);
  });

  it('gives up when the probe times out', async () => {
    const check = proxied.readinessCheck();
    const aborted = AbortSignal.abort(new Error('probe timed out'));
    assert.deepEqual(await check.check(aborted), { ok: false, reason: 'other: probe timed out' });
  });

  it('does not trace the probe', async () => {
    await proxied.ping();
    assert.equal(telemetry.spans().length, 0);
  });
});

describe('HistoryWriter', () => {
  const play = (n: number): PlayRecord => ({
    guildId: Guild,
    memberId: `2000000000000000${n.toString().padStart(2, '0')}`,
    trackIdentifier: `track-${n}`,
    title: `Track ${n}`,
    source: 'youtube',
    startedAt: new Date(Date.now() - 60_000),
    endedAt: new Date(),
    playedMs: 60_000.4,
  });
  const dropped = (reason: HistoryDropReason) => telemetry.total('metronome.db.history.dropped', { reason });

  it('reports both drop reasons at 0 from the start, so the first drop is an increase', async () => {
    const points = await telemetry.points('metronome.db.history.dropped');
    assert.deepEqual(points.map((p) => p.attributes.reason).sort(), ['overflow', 'refused']);
    assert.ok(points.every((p) => p.unit === '{row}'));
  });

  it('writes recorded plays in one batch shortly after', async () => {
    const before = await count('play_history');
    const writer = new HistoryWriter(new PlayHistoryRepository(proxied, instruments), instruments, logger, {
      flushDelayMs: 20,
    });
    for (let n = 0; n < 3; n++) writer.record(play(n));
    assert.equal(writer.pending, 3, 'record() only buffers');
    await eventually(() => writer.pending === 0, 'the batch to be written');
    assert.equal(await count('play_history'), before + 3);
    assert.equal(telemetry.spans('db PlayHistory.insertMany').length, 1);
    await writer.close();
  });

  it('GIVEN an outage THEN plays stay buffered, and are all written once the database is back', async () => {
    const before = await count('play_history');
    const writer = new HistoryWriter(new PlayHistoryRepository(proxied, instruments), instruments, logger, {
      flushDelayMs: 20,
      maxBackoffMs: 100,
    });
    await proxy.stop();
    for (let n = 0; n < 5; n++) writer.record(play(n));
    await eventually(() => writer.details().failing === 'connection', 'the writer to notice the outage');
    assert.equal(writer.pending, 5);
    for (let n = 5; n < 8; n++) writer.record(play(n));
    assert.ok(
      (await telemetry.total('metronome.db.errors', {
        'db.collection.name': 'play_history',
        'error.type': 'connection',
      })) > 0,
    );

    await proxy.start();
    await eventually(() => writer.pending === 0, 'the buffer to drain after the outage');
    assert.deepEqual(writer.details(), { pending: 0, written: 8, dropped: 0, failing: null });
    assert.equal(await count('play_history'), before + 8);
    await writer.close();
  });

  it('GIVEN an outage longer than the buffer THEN the oldest plays are dropped and counted', async () => {
    const [overflowBefore, refusedBefore] = [await dropped('overflow'), await dropped('refused')];
    const writer = new HistoryWriter(new PlayHistoryRepository(proxied, instruments), instruments, logger, {
      flushDelayMs: 20,
      maxBackoffMs: 50,
      maxBuffered: 4,
    });
    await proxy.stop();
    try {
      for (let n = 0; n < 10; n++) writer.record(play(n));
      assert.equal(writer.pending, 4);
      assert.equal(writer.details().dropped, 6);
      assert.equal(await dropped('overflow'), overflowBefore + 6);
    } finally {
      await proxy.start();
    }
    await writer.flush();
    assert.equal(writer.pending, 0);
    assert.equal(await dropped('overflow'), overflowBefore + 6, 'the rows written after the outage are not drops');
    assert.equal(await dropped('refused'), refusedBefore);
    await writer.close();
  });

  it('GIVEN a batch the database refuses for good THEN its rows are tried one by one, and only the bad row is dropped', async () => {
    const [overflowBefore, refusedBefore] = [await dropped('overflow'), await dropped('refused')];
    const before = await count('play_history');
    const writer = new HistoryWriter(new PlayHistoryRepository(proxied, instruments), instruments, logger, {
      flushDelayMs: 60_000,
    });
    // played_ms is an integer column: a value past 2^31 is out of range (SQLSTATE 22003), which no retry can fix.
    // The database refuses the three-row insert whole for it.
    writer.record(play(1));
    writer.record({ ...play(2), playedMs: 2 ** 31 });
    writer.record(play(3));
    await writer.flush();
    assert.deepEqual(writer.details(), { pending: 0, written: 2, dropped: 1, failing: null });
    assert.equal(await count('play_history'), before + 2);
    assert.equal(await dropped('refused'), refusedBefore + 1);
    assert.equal(await dropped('overflow'), overflowBefore);
    await writer.close();
  });

  it('GIVEN the database becomes unreachable while a refused batch is retried row by row THEN the rows not yet written stay buffered', async () => {
    const refusedBefore = await dropped('refused');
    const context = { operation: 'INSERT', collection: 'play_history' };
    const outOfRange = new DbError(context, Object.assign(new Error('integer out of range'), { code: '22003' }));
    const refusedConnection = new DbError(
      context,
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    const written: string[] = [];
    let reachable = true;
    const repository = {
      insertMany: async (rows: readonly { trackIdentifier: string }[]) => {
        if (!reachable) throw refusedConnection;
        if (rows.length > 1) throw outOfRange;
        const [row] = rows;
        if (row?.trackIdentifier === 'track-2') throw outOfRange;
        // The database goes away after the first row of the retry.
        if (row?.trackIdentifier === 'track-1') reachable = false;
        written.push(row?.trackIdentifier ?? '');
        return [];
      },
    };
    const writer = new HistoryWriter(repository as never, instruments, logger, { flushDelayMs: 60_000 });
    for (const n of [1, 2, 3]) writer.record(play(n));
    await writer.flush();
    assert.deepEqual(written, ['track-1']);
    assert.deepEqual(writer.details(), { pending: 2, written: 1, dropped: 0, failing: 'connection' });
    reachable = true;
    await writer.flush();
    assert.deepEqual(written, ['track-1', 'track-3']);
    assert.deepEqual(writer.details(), { pending: 0, written: 2, dropped: 1, failing: null });
    assert.equal(await dropped('refused'), refusedBefore + 1);
    await writer.close();
  });

  it('flush() on shutdown writes what is buffered without waiting for the delay', async () => {
    const before = await count('play_history');
    const writer = new HistoryWriter(new PlayHistoryRepository(proxied, instruments), instruments, logger, {
      flushDelayMs: 60_000,
    });
    writer.record(play(1));
    await writer.close();
    assert.equal(await count('play_history'), before + 1);
  });
});

describe('QueueSnapshotWriter', () => {
  const snapshot = (positionMs: number) => ({ version: 1, guildId: Guild, positionMs });
  const stored = async () => new QueueSnapshotRepository(db.database, instruments).get(Guild);

  it('coalesces a burst of changes into one write of the latest', async () => {
    const writer = new QueueSnapshotWriter(new QueueSnapshotRepository(proxied, instruments), logger, {
      delayMs: 30,
    });
    for (let n = 1; n <= 5; n++) writer.save(Guild, snapshot(n * 1000));
    assert.equal(writer.pending, 1);
    await eventually(() => writer.pending === 0 && writer.details().written === 1, 'the coalesced write');
    assert.deepEqual((await stored())?.snapshot, snapshot(5000));
    assert.equal(telemetry.spans('db QueueSnapshot.save').length, 1);
    await writer.close();
  });

  it('writes a delete after a save in order, and flush() writes at once', async () => {
    const writer = new QueueSnapshotWriter(new QueueSnapshotRepository(proxied, instruments), logger, {
      delayMs: 60_000,
    });
    writer.save(Guild, snapshot(1));
    await writer.flush();
    assert.deepEqual((await stored())?.snapshot, snapshot(1));
    writer.save(Guild, snapshot(2));
    writer.delete(Guild);
    await writer.flush();
    assert.equal(await stored(), null);
    await writer.close();
  });

  it('GIVEN an outage THEN the latest snapshot is kept and written when the database is back', async () => {
    const writer = new QueueSnapshotWriter(new QueueSnapshotRepository(proxied, instruments), logger, {
      delayMs: 10,
      retryDelayMs: 50,
    });
    await proxy.stop();
    writer.save(Guild, snapshot(1));
    await eventually(() => writer.details().failed > 0, 'a failed write');
    writer.save(Guild, snapshot(2));
    assert.equal(writer.pending, 1);
    await proxy.start();
    await eventually(() => writer.pending === 0 && writer.details().written > 0, 'the write after the outage');
    assert.deepEqual((await stored())?.snapshot, snapshot(2));
    await writer.close();
  });

  it('GIVEN an outage with many guilds THEN it is logged once when it starts and once when it ends, and every guild is written after it', async () => {
    const guilds = Array.from({ length: 40 }, (_, n) => `2${n.toString().padStart(17, '0')}`);
    const logs = capturedLogs();
    const writer = new QueueSnapshotWriter(new QueueSnapshotRepository(proxied, instruments), logs.logger, {
      delayMs: 5,
      retryDelayMs: 10,
      maxRetryDelayMs: 40,
    });
    await proxy.stop();
    try {
      for (const guildId of guilds) writer.save(guildId, snapshot(1));
      await eventually(() => writer.details().failed >= guilds.length * 3, 'several failed attempts of every guild');
      assert.equal(writer.details().failing, 'connection');
    } finally {
      await proxy.start();
    }
    await eventually(() => writer.pending === 0, 'every guild written after the outage');
    await writer.close();
    assert.deepEqual(
      { written: writer.details().written, dropped: writer.details().dropped, failing: writer.details().failing },
      { written: guilds.length, dropped: 0, failing: null },
    );
    assert.deepEqual(
      logs.lines.filter((l) => l.level >= 40).map((l) => [l.msg, l.error_type]),
      [
        [
          'queue snapshots cannot be written; keeping the latest of each guild until the database is back',
          'connection',
        ],
      ],
    );
    assert.equal(logs.lines.filter((l) => l.msg === 'queue snapshot writes resumed').length, 1);
    await db.database.pool.query('DELETE FROM queue_snapshots WHERE guild_id = ANY($1)', [guilds]);
  });

  it('GIVEN a snapshot the database refuses for good THEN it is dropped and logged once, not retried, and the next one is written', async () => {
    const logs = capturedLogs();
    const writer = new QueueSnapshotWriter(new QueueSnapshotRepository(proxied, instruments), logs.logger, {
      delayMs: 5,
      retryDelayMs: 10,
    });
    // jsonb cannot hold a NUL character (SQLSTATE 22P05): no retry can fix that snapshot.
    writer.save(Guild, { ...snapshot(1), title: 'nul \u0000 inside' });
    await eventually(() => writer.details().failed === 1, 'the refused write');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(writer.details(), { pending: 0, written: 0, failed: 1, dropped: 1, failing: null });
    const errors = logs.lines.filter((l) => l.level >= 40);
    assert.deepEqual(
      errors.map((l) => [l.level, l.msg, l.guild_id]),
      [[50, 'queue snapshot refused by the database; dropped', Guild]],
    );
    writer.save(Guild, snapshot(2));
    await writer.flush();
    assert.deepEqual((await stored())?.snapshot, snapshot(2));
    await writer.close();
  });

  it('never makes the caller wait', () => {
    const writer = new QueueSnapshotWriter(
      { save: () => new Promise<number>(() => undefined), delete: () => new Promise<boolean>(() => undefined) },
      logger,
      { delayMs: 0 },
    );
    const started = performance.now();
    for (let n = 0; n < 1000; n++) writer.save(`guild-${n % 10}`, snapshot(n));
    assert.ok(performance.now() - started < 100);
    assert.equal(writer.pending, 10);
  });
});
