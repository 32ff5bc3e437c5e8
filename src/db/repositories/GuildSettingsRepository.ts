import { trace } from '@opentelemetry/api';
import { eq, sql } from 'drizzle-orm';
import type { DbInstruments } from '../../telemetry/DbInstruments.js';
import { retryable } from '../../telemetry/decorators/retryable.js';
import { traced } from '../../telemetry/decorators/traced.js';
import { AttributeNames, SpanNames } from '../../telemetry/TelemetryNames.js';
import type { OrmSource } from '../Database.js';
import { DbOperations, dbRetry, dbSpanAttributes, QueryRunner } from '../QueryRunner.js';
import { type GuildSettingsRow, guildSettings } from '../schema.js';

/** A guild's overrides; null fields take the configured defaults. */
export type GuildSettings = GuildSettingsRow;

/** What `/settings` may change. `null` resets a setting to the configured default; an absent key leaves it alone. */
export type GuildSettingsChanges = Partial<
  Pick<GuildSettings, 'djRoleId' | 'defaultVolume' | 'alwaysOnChannelId' | 'throttlePerMinute'>
>;

const Table = 'guild_settings';
const Select = { operation: DbOperations.Select, collection: Table };
const Upsert = { operation: DbOperations.Insert, collection: Table };
const Delete = { operation: DbOperations.Delete, collection: Table };

/** `db GuildSettings.<method>`: the span of a method, and the `operation` of its retries. */
const spanName = (method: string) => SpanNames.db('GuildSettings', method);

/** Reads and writes `guild_settings`. Every method is traced, measured, and retried on transient errors. */
export class GuildSettingsRepository {
  readonly #queries: QueryRunner;

  constructor(
    private readonly database: OrmSource,
    instruments: DbInstruments,
  ) {
    this.#queries = new QueryRunner(instruments);
  }

  /** The guild's settings, or null when it never changed any. */
  @traced(spanName('get'), dbSpanAttributes(Select))
  @retryable(dbRetry(spanName('get')))
  async get(guildId: string): Promise<GuildSettings | null> {
    onSpan(guildId);
    return this.#queries.run(Select, async () => {
      const [row] = await this.database.orm.select().from(guildSettings).where(eq(guildSettings.guildId, guildId));
      return row ?? null;
    });
  }

  /** Applies `changes` (creating the row on first change) and returns the settings as stored. */
  @traced(spanName('update'), dbSpanAttributes(Upsert))
  @retryable(dbRetry(spanName('update')))
  async update(guildId: string, changes: GuildSettingsChanges): Promise<GuildSettings> {
    onSpan(guildId);
    const values = definedOnly(changes);
    return this.#queries.run(Upsert, async () => {
      const [row] = await this.database.orm
        .insert(guildSettings)
        .values({ guildId, ...values })
        .onConflictDoUpdate({ target: guildSettings.guildId, set: { ...values, updatedAt: sql`now()` } })
        .returning();
      if (!row) throw new Error('INSERT ... RETURNING returned no row');
      return row;
    });
  }

  /** Forgets the guild's settings (the bot left it). True when there were any. */
  @traced(spanName('delete'), dbSpanAttributes(Delete))
  @retryable(dbRetry(spanName('delete')))
  async delete(guildId: string): Promise<boolean> {
    onSpan(guildId);
    return this.#queries.run(Delete, async () => {
      const deleted = await this.database.orm
        .delete(guildSettings)
        .where(eq(guildSettings.guildId, guildId))
        .returning({ guildId: guildSettings.guildId });
      return deleted.length > 0;
    });
  }
}

function onSpan(guildId: string): void {
  trace.getActiveSpan()?.setAttribute(AttributeNames.DiscordGuildId, guildId);
}

// `{ djRoleId: undefined }` would otherwise reach drizzle's SET as a column to skip in one place and not another.
function definedOnly(changes: GuildSettingsChanges): GuildSettingsChanges {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
