import { trace } from '@opentelemetry/api';
import { asc, eq, sql } from 'drizzle-orm';
import type { DbInstruments } from '../../telemetry/DbInstruments.js';
import { retryable } from '../../telemetry/decorators/retryable.js';
import { traced } from '../../telemetry/decorators/traced.js';
import { AttributeNames, SpanNames } from '../../telemetry/TelemetryNames.js';
import type { OrmSource } from '../Database.js';
import { DbOperations, dbRetry, dbSpanAttributes, QueryRunner } from '../QueryRunner.js';
import { queueSnapshots } from '../schema.js';

/**
 * A stored queue snapshot. `snapshot` is the JSON as written, not yet trusted: the music layer checks it with
 * `parseGuildQueueSnapshot` before restoring (a row may come from an older version of the bot).
 */
export interface StoredQueueSnapshot {
  readonly guildId: string;
  readonly snapshot: unknown;
  /** Writes of this row so far (1 after the first). */
  readonly version: number;
  readonly updatedAt: Date;
}

const Table = 'queue_snapshots';
const Upsert = { operation: DbOperations.Insert, collection: Table };
const Select = { operation: DbOperations.Select, collection: Table };
const Delete = { operation: DbOperations.Delete, collection: Table };

/** `db QueueSnapshot.<method>`: the span of a method, and the `operation` of its retries. */
const spanName = (method: string) => SpanNames.db('QueueSnapshot', method);

/**
 * Reads and writes `queue_snapshots`, one row per guild. The snapshot is any JSON object (the database layer does
 * not depend on the music layer's types). Every method is traced, measured, and retried on transient errors.
 */
export class QueueSnapshotRepository {
  readonly #queries: QueryRunner;

  constructor(
    private readonly database: OrmSource,
    instruments: DbInstruments,
  ) {
    this.#queries = new QueryRunner(instruments);
  }

  /** Stores `snapshot` as the guild's latest, replacing the previous one. Returns the row's new version. */
  @traced(spanName('save'), dbSpanAttributes(Upsert))
  @retryable(dbRetry(spanName('save')))
  async save(guildId: string, snapshot: object): Promise<number> {
    onSpan(guildId);
    return this.#queries.run(Upsert, async () => {
      const [row] = await this.database.orm
        .insert(queueSnapshots)
        .values({ guildId, snapshot })
        .onConflictDoUpdate({
          target: queueSnapshots.guildId,
          set: { snapshot, version: sql`${queueSnapshots.version} + 1`, updatedAt: sql`now()` },
        })
        .returning({ version: queueSnapshots.version });
      if (!row) throw new Error('INSERT ... RETURNING returned no row');
      return row.version;
    });
  }

  /** The guild's snapshot, or null. */
  @traced(spanName('get'), dbSpanAttributes(Select))
  @retryable(dbRetry(spanName('get')))
  async get(guildId: string): Promise<StoredQueueSnapshot | null> {
    onSpan(guildId);
    return this.#queries.run(Select, async () => {
      const [row] = await this.database.orm.select().from(queueSnapshots).where(eq(queueSnapshots.guildId, guildId));
      return row ?? null;
    });
  }

  /** Every stored snapshot, oldest write first: what start-up restores. */
  @traced(spanName('all'), dbSpanAttributes(Select))
  @retryable(dbRetry(spanName('all')))
  async all(): Promise<StoredQueueSnapshot[]> {
    return this.#queries.run(Select, () =>
      this.database.orm.select().from(queueSnapshots).orderBy(asc(queueSnapshots.updatedAt)),
    );
  }

  /** Removes the guild's snapshot (its player was destroyed, or it could not be restored). True when there was one. */
  @traced(spanName('delete'), dbSpanAttributes(Delete))
  @retryable(dbRetry(spanName('delete')))
  async delete(guildId: string): Promise<boolean> {
    onSpan(guildId);
    return this.#queries.run(Delete, async () => {
      const deleted = await this.database.orm
        .delete(queueSnapshots)
        .where(eq(queueSnapshots.guildId, guildId))
        .returning({ guildId: queueSnapshots.guildId });
      return deleted.length > 0;
    });
  }
}

function onSpan(guildId: string): void {
  trace.getActiveSpan()?.setAttribute(AttributeNames.DiscordGuildId, guildId);
}
