import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { sql } from 'drizzle-orm';
import { DbInstruments } from '../../src/telemetry/DbInstruments.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { JobHeartbeats } from '../../src/telemetry/JobHeartbeats.js';
import { withSpan } from '../../src/telemetry/spans.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import type { TestDatabase } from './support/testDatabase.js';

// Providers first, then the instrumentation, then (dynamically, below) everything that loads pg: pg is CommonJS, so
// require-in-the-middle patches it as it loads, with no ESM loader hook. Nothing imported above loads pg.
const telemetry = new InMemoryTelemetry();
registerInstrumentations({
  instrumentations: [new PgInstrumentation({ addSqlCommenterCommentToQueries: true, requireParentSpan: false })],
});
const { openTestDatabase } = await import('./support/testDatabase.js');
const { GuildSettingsRepository } = await import('../../src/db/repositories/GuildSettingsRepository.js');
const { PlayHistoryRepository } = await import('../../src/db/repositories/PlayHistoryRepository.js');
const { ActiveUsersJob } = await import('../../src/db/ActiveUsersJob.js');

const Guild = '100000000000000001';
let db: TestDatabase;
let instruments: DbInstruments;

before(async () => {
  db = await openTestDatabase();
  await db.database.migrate();
  instruments = new DbInstruments(globalInstruments());
});
after(() => db.close());

describe('database telemetry', () => {
  it('pg spans nest under the command span through the repository span, with sqlcommenter comments', async () => {
    telemetry.reset();
    const settings = new GuildSettingsRepository(db.database, instruments);
    await withSpan('command settings', {}, () => settings.update(Guild, { defaultVolume: 90 }));

    const [command] = telemetry.spans('command settings');
    const [repository] = telemetry.spans('db GuildSettings.update');
    assert.ok(command && repository);
    assert.equal(repository.parentSpanContext?.spanId, command.spanContext().spanId);
    const pgSpans = telemetry.spans().filter((s) => s.kind === SpanKind.CLIENT && s.name.startsWith('pg.'));
    assert.ok(pgSpans.length > 0);
    for (const span of pgSpans) {
      assert.equal(span.parentSpanContext?.spanId, repository.spanContext().spanId, `${span.name} parent`);
    }
    const query = pgSpans.find((s) => s.name.startsWith('pg.query:'));
    assert.ok(query, `a pg.query span among ${pgSpans.map((s) => s.name).join(', ')}`);
    assert.equal(query.spanContext().traceId, command.spanContext().traceId);
    assert.match(query.name, /^pg.query:INSERT /);

    // The comment is added to the text sent to the server; the span's db.query.text is the statement without it.
    assert.match(String(query.attributes['db.query.text']), /^insert into "guild_settings"/);
    // So ask the server what it received, through drizzle as the repositories do.
    // drizzle's queries are lazy thenables: awaited inside the span, or they would run after it ended.
    const result = await withSpan(
      'command probe',
      {},
      async () => await db.database.orm.execute<{ query: string }>(sql`SELECT current_query() AS query`),
    );
    const sent = result.rows[0]?.query ?? '';
    const [probe] = telemetry.spans('command probe');
    const probeQuery = telemetry
      .spans()
      .find((s) => s.attributes['db.query.text'] === 'SELECT current_query() AS query');
    assert.ok(probe && probeQuery);
    assert.equal(probeQuery.parentSpanContext?.spanId, probe.spanContext().spanId);
    assert.match(sent, /^SELECT current_query\(\) AS query \/\*traceparent='00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]'\*\/$/);
    const { traceId, spanId } = probeQuery.spanContext();
    assert.ok(sent.includes(`'00-${traceId}-${spanId}-`), `the comment names the pg span itself: ${sent}`);
  });

  it('instrumentation-pg reports the pool in db.client.connection.count and operation durations', async () => {
    const connections = await telemetry.points('db.client.connection.count');
    assert.ok(connections.length > 0, 'db.client.connection.count exported');
    assert.ok(connections.some((p) => p.attributes['db.client.connection.state'] === 'idle'));
    assert.ok((await telemetry.total('db.client.operation.duration')) > 0);
  });

  it('repository queries are measured with the contract attributes and no ids', async () => {
    const points = await telemetry.points('metronome.db.query.duration');
    assert.ok(points.length > 0);
    for (const point of points) {
      assert.deepEqual(Object.keys(point.attributes).sort(), ['db.collection.name', 'db.operation.name', 'outcome']);
      assert.equal(point.unit, 's');
    }
  });
});

describe('ActiveUsersJob', () => {
  it('feeds metronome.users.active {window} from the last run, inside a job span', async () => {
    const history = new PlayHistoryRepository(db.database, instruments);
    const now = new Date();
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000);
    await history.insertMany(
      [
        ['200000000000000001', 2],
        ['200000000000000002', 3],
        ['200000000000000002', 30],
        ['200000000000000003', 24 * 10],
      ].map(([member, hoursAgo], n) => ({
        id: `00000000-0000-4000-8000-00000000000${n}`,
        guildId: Guild,
        memberId: String(member),
        trackIdentifier: 'x',
        title: 'x',
        source: 'youtube',
        startedAt: at(Number(hoursAgo)),
        endedAt: at(Number(hoursAgo) - 0.05),
        playedMs: 180_000,
      })),
    );
    const heartbeats = new JobHeartbeats(globalInstruments());
    const job = new ActiveUsersJob(heartbeats, history, instruments, 60_000, () => now);
    assert.deepEqual(await telemetry.points('metronome.users.active'), [], 'nothing observed before the first run');

    telemetry.reset();
    await job.run();
    assert.deepEqual(job.latest, { '1d': 2, '30d': 3 });
    const points = await telemetry.points('metronome.users.active');
    assert.deepEqual(points.map((p) => [p.attributes.window, p.value, p.unit]).sort(), [
      ['1d', 2, '{user}'],
      ['30d', 3, '{user}'],
    ]);
    const [jobSpan] = telemetry.spans('job active_users');
    const [query] = telemetry.spans('db PlayHistory.activeMembers');
    assert.ok(jobSpan && query);
    assert.equal(query.parentSpanContext?.spanId, jobSpan.spanContext().spanId);
    assert.ok(heartbeats.snapshot().active_users?.last_success_age_s !== null);
    job.dispose();
  });
});
