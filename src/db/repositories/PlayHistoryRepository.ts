import { trace } from '@opentelemetry/api';
import { desc, eq, gte, sql } from 'drizzle-orm';
import type { ActiveUsersReading, DbInstruments } from '../../telemetry/DbInstruments.js';
import { retryable } from '../../telemetry/decorators/retryable.js';
import { traced } from '../../telemetry/decorators/traced.js';
import { AttributeNames, SpanNames } from '../../telemetry/TelemetryNames.js';
import type { OrmSource } from '../Database.js';
import { DbOperations, dbRetry, dbSpanAttributes, QueryRunner } from '../QueryRunner.js';
import { type PlayHistoryRow, playHistory } from '../schema.js';

/** A played track, as the music layer reports it. `id` is a UUID chosen by the writer (retries stay idempotent). */
export type PlayHistoryEntry = typeof playHistory.$inferInsert & { readonly id: string };

/** A stored play. */
export type PlayHistoryRecord = PlayHistoryRow;

const Table = 'play_history';
const Insert = { operation: DbOperations.Insert, collection: Table };
const Select = { operation: DbOperations.Select, collection: Table };
const DayMs = 86_400_000;

/** `db PlayHistory.<method>`: the span of a method, and the `operation` of its retries. */
const spanName = (method: string) => SpanNames.db('PlayHistory', method);

/** Writes and reads `play_history`. Every method is traced, measured, and retried on transient errors. */
export class PlayHistoryRepository {
  readonly #queries: QueryRunner;

  constructor(
    private readonly database: OrmSource,
    instruments: DbInstruments,
  ) {
    this.#queries = new QueryRunner(instruments);
  }

  /** Inserts `entries` in one statement; rows whose id is already stored are skipped. Returns the rows inserted. */
  @traced(spanName('insertMany'), dbSpanAttributes(Insert))
  @retryable(dbRetry(spanName('insertMany')))
  async insertMany(entries: readonly PlayHistoryEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    trace.getActiveSpan()?.setAttribute(AttributeNames.DbOperationBatchSize, entries.length);
    return this.#queries.run(Insert, async () => {
      const inserted = await this.database.orm
        .insert(playHistory)
        .values([...entries])
        .onConflictDoNothing({ target: playHistory.id })
        .returning({ id: playHistory.id });
      return inserted.length;
    });
  }

  /** The guild's latest plays, newest first (`/history`). */
  @traced(spanName('recentInGuild'), dbSpanAttributes(Select))
  @retryable(dbRetry(spanName('recentInGuild')))
  async recentInGuild(guildId: string, limit = 10): Promise<PlayHistoryRecord[]> {
    trace.getActiveSpan()?.setAttribute(AttributeNames.DiscordGuildId, guildId);
    return this.#queries.run(Select, () =>
      this.database.orm
        .select()
        .from(playHistory)
        .where(eq(playHistory.guildId, guildId))
        .orderBy(desc(playHistory.startedAt))
        .limit(limit),
    );
  }

  /** A member's latest plays across guilds, newest first. */
  @traced(spanName('recentByMember'), dbSpanAttributes(Select))
  @retryable(dbRetry(spanName('recentByMember')))
  async recentByMember(memberId: string, limit = 10): Promise<PlayHistoryRecord[]> {
    trace.getActiveSpan()?.setAttribute(AttributeNames.DiscordUserId, memberId);
    return this.#queries.run(Select, () =>
      this.database.orm
        .select()
        .from(playHistory)
        .where(eq(playHistory.memberId, memberId))
        .orderBy(desc(playHistory.startedAt))
        .limit(limit),
    );
  }

  /** Distinct members who started a track in the day and in the 30 days before `now`, in one scan. */
  @traced(spanName('activeMembers'), dbSpanAttributes(Select))
  @retryable(dbRetry(spanName('activeMembers')))
  async activeMembers(now: Date = new Date()): Promise<ActiveUsersReading> {
    const dayAgo = new Date(now.getTime() - DayMs);
    const monthAgo = new Date(now.getTime() - 30 * DayMs);
    return this.#queries.run(Select, async () => {
      const [row] = await this.database.orm
        .select({
          day: sql<number>`count(distinct ${playHistory.memberId}) filter (where ${playHistory.startedAt} >= ${dayAgo})`.mapWith(
            Number,
          ),
          month: sql<number>`count(distinct ${playHistory.memberId})`.mapWith(Number),
        })
        .from(playHistory)
        .where(gte(playHistory.startedAt, monthAgo));
      return { '1d': row?.day ?? 0, '30d': row?.month ?? 0 };
    });
  }
}
