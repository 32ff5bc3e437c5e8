import { DbError } from '../db/errors/DbError.js';
import type { GuildSettings, GuildSettingsRepository } from '../db/repositories/GuildSettingsRepository.js';
import type {
  GuildSettingsDefaults,
  GuildSettingsStore,
  GuildSettingsUpdate,
  GuildSettingsValues,
} from '../discord/GuildDataPort.js';
import type { GuildDefaults } from '../music/MusicService.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { withTimeout } from '../util/withTimeout.js';

/** How {@link DatabaseGuildSettings} caches. */
export interface DatabaseGuildSettingsOptions {
  /** How long a guild's settings are used for the throttle and new sessions before they are read again. */
  readonly cacheTtlMs: number;
  /** How long a new session waits for its guild's settings before taking the configured defaults. */
  readonly lookupTimeoutMs: number;
  /**
   * How long a control command waits for the DJ role before taking the last one read (or failing closed). Discord
   * wants the first answer to an interaction within 3 s, and the command still has its own work to do after this.
   */
  readonly djRoleTimeoutMs: number;
  /** Guilds whose settings are cached at most (the oldest are forgotten first). */
  readonly maxCached: number;
  readonly now: () => number;
}

const DefaultOptions: DatabaseGuildSettingsOptions = {
  cacheTtlMs: 60_000,
  lookupTimeoutMs: 1_000,
  djRoleTimeoutMs: 1_500,
  maxCached: 10_000,
  now: () => performance.now(),
};

/** What a guild that changed nothing has. */
const NoOverrides: GuildSettingsValues = Object.freeze({
  djRoleId: null,
  defaultVolume: null,
  alwaysOnChannelId: null,
  throttlePerMinute: null,
});

/**
 * Guild settings on the database (`guild_settings`), for the Discord layer and the music service.
 *
 * - The DJ role and `/settings` read the database every time: permissions must not lag behind a change made through
 *   another replica. While the database cannot be reached, the DJ role is the last one this process read for the
 *   guild (nobody can change it meanwhile, so it is the latest known), so members can still skip or stop the music
 *   that keeps playing; a guild never read fails closed (no control command runs on a guess).
 * - The command throttle asks synchronously for every command, and a new music session must not wait long on the
 *   database: both use the last value read (refreshed in the background after `cacheTtlMs`), and fall back to the
 *   configured defaults when the database does not answer. A database outage therefore never stops `/play`.
 */
export class DatabaseGuildSettings implements GuildSettingsStore {
  readonly #options: DatabaseGuildSettingsOptions;
  readonly #cache = new Map<string, { values: GuildSettingsValues; at: number }>();
  readonly #loading = new Map<string, Promise<GuildSettingsValues>>();

  constructor(
    private readonly repository: Pick<GuildSettingsRepository, 'get' | 'update'>,
    readonly defaults: GuildSettingsDefaults,
    private readonly logger: Logger,
    options: Partial<DatabaseGuildSettingsOptions> = {},
  ) {
    this.#options = { ...DefaultOptions, ...options };
  }

  /**
   * The DJ role, read from the database now; while the database cannot be reached or does not answer within
   * `djRoleTimeoutMs`, the last one read. Rejects when that happens to a guild never read, or on any other database
   * error.
   */
  async djRoleId(guildId: string): Promise<string | null> {
    const read = this.get(guildId);
    try {
      return (await withTimeout(read, this.#options.djRoleTimeoutMs, () => slowRead(this.#options.djRoleTimeoutMs)))
        .djRoleId;
    } catch (error) {
      // A read that outlived the wait still lands in the cache when it answers.
      read.catch(() => undefined);
      const known = this.#cache.get(guildId);
      if (!known || !(error instanceof DbError) || !error.unreachable) throw error;
      this.logger.debug(
        { guild_id: guildId, error_type: error.errorType },
        'database unreachable; using the last DJ role read',
      );
      return known.values.djRoleId;
    }
  }

  async get(guildId: string): Promise<GuildSettingsValues> {
    return this.#remember(guildId, toValues(await this.repository.get(guildId)));
  }

  async update(guildId: string, changes: GuildSettingsUpdate): Promise<GuildSettingsValues> {
    return this.#remember(guildId, toValues(await this.repository.update(guildId, changes)));
  }

  /**
   * The guild's command limit for the throttle, synchronously: the cached override, or undefined (the configured
   * limit) until the first read answered. A stale or missing entry is refreshed in the background.
   */
  throttlePerMinute(guildId: string): number | undefined {
    const cached = this.#cache.get(guildId);
    if (!cached || this.#stale(cached.at)) this.#refresh(guildId).catch(() => undefined);
    return cached?.values.throttlePerMinute ?? undefined;
  }

  /**
   * The guild's defaults for a new music session: cached, or read within `lookupTimeoutMs`; the configured defaults
   * (nulls) when the database does not answer in time. Never rejects.
   */
  async sessionDefaults(guildId: string): Promise<GuildDefaults> {
    const cached = this.#cache.get(guildId);
    let values = cached?.values;
    if (!cached || this.#stale(cached.at)) {
      const refresh = this.#refresh(guildId);
      try {
        const ms = this.#options.lookupTimeoutMs;
        values = await withTimeout(refresh, ms, () => new Error(`no answer within ${ms} ms`));
      } catch (error) {
        refresh.catch(() => undefined);
        this.logger.warn(
          { err: error, guild_id: guildId },
          'guild settings unavailable; using the configured defaults',
        );
      }
    }
    return { volume: values?.defaultVolume ?? null, alwaysOnChannelId: values?.alwaysOnChannelId ?? null };
  }

  /** One read at a time per guild; the result lands in the cache. */
  #refresh(guildId: string): Promise<GuildSettingsValues> {
    let loading = this.#loading.get(guildId);
    if (!loading) {
      loading = this.get(guildId).finally(() => this.#loading.delete(guildId));
      this.#loading.set(guildId, loading);
    }
    return loading;
  }

  #remember(guildId: string, values: GuildSettingsValues): GuildSettingsValues {
    this.#cache.delete(guildId);
    this.#cache.set(guildId, { values, at: this.#options.now() });
    if (this.#cache.size > this.#options.maxCached) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return values;
  }

  #stale(at: number): boolean {
    return this.#options.now() - at >= this.#options.cacheTtlMs;
  }
}

function toValues(row: GuildSettings | null): GuildSettingsValues {
  if (!row) return NoOverrides;
  return {
    djRoleId: row.djRoleId,
    defaultVolume: row.defaultVolume,
    alwaysOnChannelId: row.alwaysOnChannelId,
    throttlePerMinute: row.throttlePerMinute,
  };
}

/** The error of a settings read that did not answer in time: a `timeout`, so the member gets the outage reply. */
function slowRead(ms: number): DbError {
  return new DbError(
    { operation: 'SELECT', collection: 'guild_settings' },
    new Error(`Query read timeout: no answer within ${ms} ms`),
  );
}
