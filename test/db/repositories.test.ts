import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { DbError } from '../../src/db/errors/DbError.js';
import { GuildSettingsRepository } from '../../src/db/repositories/GuildSettingsRepository.js';
import { type PlayHistoryEntry, PlayHistoryRepository } from '../../src/db/repositories/PlayHistoryRepository.js';
import { QueueSnapshotRepository } from '../../src/db/repositories/QueueSnapshotRepository.js';
import { DbInstruments } from '../../src/telemetry/DbInstruments.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.js';

const telemetry = new InMemoryTelemetry();
const GuildA = '100000000000000001';
const GuildB = '100000000000000002';
const MemberA = '200000000000000001';
const MemberB = '200000000000000002';
const MemberC = '200000000000000003';

let db: TestDatabase;
let instruments: DbInstruments;

before(async () => {
  db = await openTestDatabase();
  await db.database.migrate();
  instruments = new DbInstruments(globalInstruments());
});
after(() => db.close());
beforeEach(() => telemetry.reset());

describe('GuildSettingsRepository', () => {
  let settings: GuildSettingsRepository;
  before(() => {
    settings = new GuildSettingsRepository(db.database, instruments);
  });

  it('answers null for a guild that changed nothing', async () => {
    assert.equal(await settings.get(GuildA), null);
    const [span] = telemetry.spans('db GuildSettings.get');
    assert.ok(span, 'span db GuildSettings.get');
    assert.equal(span.attributes['db.operation.name'], 'SELECT');
    assert.equal(span.attributes['db.collection.name'], 'guild_settings');
    assert.equal(span.attributes['discord.guild.id'], GuildA);
  });

  it('creates the row on the first change and keeps unchanged settings on later ones', async () => {
    const created = await settings.update(GuildA, { djRoleId: '300000000000000001', defaultVolume: 80 });
    assert.equal(created.djRoleId, '300000000000000001');
    assert.equal(created.defaultVolume, 80);
    assert.equal(created.throttlePerMinute, null);
    const updated = await settings.update(GuildA, { throttlePerMinute: 5, alwaysOnChannelId: '400000000000000001' });
    assert.equal(updated.djRoleId, '300000000000000001', 'untouched by the second change');
    assert.equal(updated.throttlePerMinute, 5);
    assert.ok(updated.updatedAt.getTime() >= created.updatedAt.getTime());
    assert.deepEqual(await settings.get(GuildA), updated);
  });

  it('resets a setting to the default with null', async () => {
    const reset = await settings.update(GuildA, { djRoleId: null });
    assert.equal(reset.djRoleId, null);
    assert.equal(reset.defaultVolume, 80);
  });

  it('deletes, saying whether there was anything', async () => {
    assert.equal(await settings.delete(GuildA), true);
    assert.equal(await settings.delete(GuildA), false);
    assert.equal(await settings.get(GuildA), null);
  });

  it('refuses an out-of-range volume as a constraint error, without retrying', async () => {
    const before = await telemetry.total('metronome.retry.attempts', { operation: 'db GuildSettings.update' });
    await assert.rejects(settings.update(GuildB, { defaultVolume: 500 }), (error) => {
      assert.ok(error instanceof DbError);
      assert.equal(error.errorType, 'constraint');
      assert.equal(error.code, '23514');
      assert.doesNotMatch(error.message, /params/, 'no query parameters in the message');
      return true;
    });
    const [span] = telemetry.spans('db GuildSettings.update');
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
    assert.equal(span?.attributes['db.response.status_code'], '23514');
    assert.equal(span?.attributes['retry.count'], 0);
    assert.equal(await telemetry.total('metronome.retry.attempts', { operation: 'db GuildSettings.update' }), before);
    assert.equal(
      await telemetry.total('metronome.db.errors', {
        'db.operation.name': 'INSERT',
        'db.collection.name': 'guild_settings',
        'error.type': 'constraint',
      }),
      1,
    );
  });

  it('measures every query in metronome.db.query.duration by operation, table and outcome', async () => {
    const points = await telemetry.points('metronome.db.query.duration');
    const keys = new Set(points.map((p) => `${p.attributes['db.operation.name']} ${p.attributes.outcome}`));
    assert.ok(keys.has('SELECT success'));
    assert.ok(keys.has('INSERT success'));
    assert.ok(keys.has('INSERT error'));
    assert.ok(points.every((p) => p.unit === 's' && p.attributes['db.collection.name'] !== undefined));
    assert.ok(
      points.every((p) => !Object.values(p.attributes).includes(GuildA)),
      'no ids on metrics',
    );
  });
});

describe('PlayHistoryRepository', () => {
  let history: PlayHistoryRepository;
  const now = new Date('2026-11-20T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const play = (guildId: string, memberId: string, startedAt: Date, title = 'Song'): PlayHistoryEntry => ({
    id: randomUUID(),
    guildId,
    memberId,
    trackIdentifier: `id-${title}`,
    title,
    author: 'Artist',
    uri: null,
    source: 'youtube',
    startedAt,
    endedAt: new Date(startedAt.getTime() + 180_000),
    playedMs: 180_000,
  });
  const entries = [
    play(GuildA, MemberA, hoursAgo(1), 'newest'),
    play(GuildA, MemberB, hoursAgo(5), 'middle'),
    play(GuildA, MemberA, hoursAgo(48), 'two days'),
    play(GuildB, MemberC, hoursAgo(24 * 20), 'twenty days'),
    play(GuildB, MemberB, hoursAgo(24 * 40), 'forty days'),
  ];

  before(() => {
    history = new PlayHistoryRepository(db.database, instruments);
  });

  it('inserts a batch and skips rows already stored (a retried batch writes nothing twice)', async () => {
    assert.equal(await history.insertMany(entries), entries.length);
    assert.equal(await history.insertMany(entries.slice(0, 2)), 0);
    assert.equal(await history.insertMany([]), 0);
    const [span] = telemetry.spans('db PlayHistory.insertMany');
    assert.equal(span?.attributes['db.operation.batch.size'], 5);
  });

  it("lists a guild's latest plays, newest first", async () => {
    const recent = await history.recentInGuild(GuildA, 2);
    assert.deepEqual(
      recent.map((r) => r.title),
      ['newest', 'middle'],
    );
    assert.equal(recent[0]?.startedAt.getTime(), hoursAgo(1).getTime());
    assert.equal(recent[0]?.playedMs, 180_000);
  });

  it("lists a member's latest plays across guilds", async () => {
    assert.deepEqual(
      (await history.recentByMember(MemberB)).map((r) => r.title),
      ['middle', 'forty days'],
    );
  });

  it('counts distinct members in the last day and the last 30 days', async () => {
    assert.deepEqual(await history.activeMembers(now), { '1d': 2, '30d': 3 });
    assert.deepEqual(await history.activeMembers(new Date(now.getTime() + 365 * 86_400_000)), { '1d': 0, '30d': 0 });
  });
});

describe('QueueSnapshotRepository', () => {
  let snapshots: QueueSnapshotRepository;
  const snapshot = (positionMs: number) => ({ version: 1, guildId: GuildA, positionMs, upcoming: [{ title: 'é ✓' }] });

  before(() => {
    snapshots = new QueueSnapshotRepository(db.database, instruments);
  });

  it('stores a snapshot as JSON and counts writes in version', async () => {
    assert.equal(await snapshots.save(GuildA, snapshot(1000)), 1);
    assert.equal(await snapshots.save(GuildA, snapshot(2000)), 2);
    const stored = await snapshots.get(GuildA);
    assert.ok(stored);
    assert.deepEqual(stored.snapshot, snapshot(2000));
    assert.equal(stored.version, 2);
    assert.ok(stored.updatedAt instanceof Date);
  });

  it('lists every snapshot for the restore at start-up, and deletes', async () => {
    await snapshots.save(GuildB, { version: 1, guildId: GuildB });
    assert.deepEqual((await snapshots.all()).map((s) => s.guildId).sort(), [GuildA, GuildB]);
    assert.equal(await snapshots.delete(GuildB), true);
    assert.equal(await snapshots.delete(GuildB), false);
    assert.equal(await snapshots.get(GuildB), null);
  });

  it('keeps the data across a restart', async () => {
    const database = await db.reopen();
    const reopened = new QueueSnapshotRepository(database, instruments);
    assert.deepEqual((await reopened.get(GuildA))?.snapshot, snapshot(2000));
  });
});
