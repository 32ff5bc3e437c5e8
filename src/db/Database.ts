import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { CheckResult, HealthCheck } from '../health/HealthCheck.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { withSpan } from '../telemetry/spans.js';
import { AttributeNames, SpanNames } from '../telemetry/TelemetryNames.js';
import { EmbeddedPostgres } from './EmbeddedPostgres.js';
import { classifyDbError } from './errors/classifyDbError.js';
import { defaultMigrationsFolder, type MigrationResult, migrate } from './migrate.js';
import * as schema from './schema.js';

/** Which PostgreSQL the bot talks to. */
export type DatabaseEngine = 'postgres' | 'pglite';

/** The drizzle handle repositories query through. */
export type Orm = NodePgDatabase<typeof schema>;

/**
 * Where repositories get the drizzle handle, read at each query: a {@link Database}, which has one only once
 * started, so repositories can be built in the composition root's constructor and the pool opened in `start()`.
 */
export interface OrmSource {
  readonly orm: Orm;
}

/** How to reach the database; mapped from the `database.*` config keys by the composition root. */
export interface DatabaseOptions {
  /** A `postgres://` URL of a real server. Absent: embedded PGlite in {@link dataDir}. A secret: never logged. */
  readonly url?: string;
  /** Files of the embedded database (`memory://` for none). Ignored with a URL. */
  readonly dataDir: string;
  /** Connections to a real server. The embedded server always gets 1 (it is a single session). */
  readonly poolSize: number;
  /** Server-side limit per statement (0: none), plus a client-side one a second longer (all PGlite honours). */
  readonly statementTimeoutMs: number;
  /** How long a query waits for a connection (to open, or to come free) before failing as `connection`. */
  readonly connectionTimeoutMs: number;
  /** Idle connections are closed after this long. */
  readonly idleTimeoutMs: number;
  /** `application_name` of every connection, as seen in `pg_stat_activity`. */
  readonly applicationName: string;
  /** drizzle-kit's output folder. */
  readonly migrationsFolder: string;
}

/** Defaults of every option but the URL. */
export const DefaultDatabaseOptions = {
  dataDir: './data/pglite',
  poolSize: 10,
  statementTimeoutMs: 10_000,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  applicationName: 'metronome',
} as const satisfies Omit<DatabaseOptions, 'url' | 'migrationsFolder'>;

// The client-side timeout fires only when the server's did not (PGlite has none; a server that stopped answering).
const ClientTimeoutMarginMs = 1_000;

/** Where connections go, without the password: for logs, `/healthz` and tests that need to reach the same server. */
export interface DatabaseEndpoint {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/**
 * The connection to PostgreSQL: a `pg` Pool to a real server, or to an embedded PGlite served over its socket on
 * 127.0.0.1 (so the `pg` driver, drizzle's node-postgres driver, instrumentation-pg with its sqlcommenter comments and
 * its `db.client.connection.*` pool metrics work the same on both). Construct, `start()`, `migrate()`, hand `orm` to
 * the repositories; `close()` on shutdown.
 */
export class Database implements OrmSource, AsyncDisposable {
  readonly engine: DatabaseEngine;
  readonly options: DatabaseOptions;
  readonly #logger: Logger | undefined;
  readonly #embedded: EmbeddedPostgres | undefined;
  #pool: pg.Pool | undefined;
  #orm: Orm | undefined;
  #endpoint: DatabaseEndpoint | undefined;
  #started: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: Partial<DatabaseOptions> = {}, logger?: Logger) {
    this.options = {
      ...DefaultDatabaseOptions,
      migrationsFolder: options.migrationsFolder ?? defaultMigrationsFolder(),
      ...withoutUndefined(options),
    };
    this.engine = this.options.url ? 'postgres' : 'pglite';
    this.#embedded = this.options.url ? undefined : new EmbeddedPostgres(this.options.dataDir);
    this.#logger = logger;
  }

  /**
   * Opens the pool (after starting the embedded server when there is no URL). Connections open on first use, so with
   * a URL this succeeds even while the server is down. Safe to call twice.
   */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    const o = this.options;
    const common: pg.PoolConfig = {
      application_name: o.applicationName,
      connectionTimeoutMillis: o.connectionTimeoutMs,
      idleTimeoutMillis: o.idleTimeoutMs,
      keepAlive: true,
      ...(o.statementTimeoutMs > 0
        ? { statement_timeout: o.statementTimeoutMs, query_timeout: o.statementTimeoutMs + ClientTimeoutMarginMs }
        : {}),
    };
    let config: pg.PoolConfig;
    if (this.#embedded) {
      const endpoint = await this.#embedded.start();
      this.#endpoint = endpoint;
      config = { ...common, ...endpoint, max: 1 };
    } else {
      const url = new URL(o.url ?? '');
      this.#endpoint = {
        host: url.hostname,
        port: Number(url.port || 5432),
        database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
        user: decodeURIComponent(url.username) || 'postgres',
      };
      config = { ...common, connectionString: o.url, max: o.poolSize };
    }
    const pool = new pg.Pool(config);
    // An idle connection that dies (server restart, pg_terminate_backend) is dropped by the pool, which then emits
    // this; without a listener it would crash the process. The next query opens a fresh connection.
    pool.on('error', (error) => {
      this.#logger?.warn({ err: error, error_type: classifyDbError(error) }, 'idle database connection lost');
    });
    this.#pool = pool;
    this.#orm = drizzle({ client: pool, schema });
    this.#logger?.info({ engine: this.engine, ...this.#endpoint }, 'database pool ready');
  }

  /** The pg pool, for code that needs a raw connection (migrations, tests). */
  get pool(): pg.Pool {
    if (!this.#pool) throw new Error('Database.start() has not been called');
    return this.#pool;
  }

  /** The drizzle handle for repositories. */
  get orm(): Orm {
    if (!this.#orm) throw new Error('Database.start() has not been called');
    return this.#orm;
  }

  /** Where connections go (no password), once started. */
  get endpoint(): DatabaseEndpoint | undefined {
    return this.#endpoint;
  }

  /** Applies pending migrations (see {@link migrate}) in a `db migrate` span. */
  migrate(): Promise<MigrationResult> {
    return withSpan(SpanNames.DbMigrate, { [AttributeNames.DbSystemName]: 'postgresql' }, async (span) => {
      const result = await migrate(this.pool, { migrationsFolder: this.options.migrationsFolder });
      span.setAttributes({ [AttributeNames.MetronomeDbMigrationsApplied]: result.applied });
      this.#logger?.info({ ...result }, result.applied > 0 ? 'database migrated' : 'database schema up to date');
      return result;
    });
  }

  /**
   * Runs `SELECT 1`, rejecting when it fails or when `signal` aborts first. Not traced: the readiness probe calls it
   * every few seconds, and a root span per probe would bury the traces that matter.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const query = context.with(suppressTracing(context.active()), () => this.pool.query('SELECT 1'));
    if (!signal) {
      await query;
      return;
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      // race() handles whichever of the two settles second, so neither can become an unhandled rejection.
      await Promise.race([query, aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** The `/readyz` check `database`: the database answers `SELECT 1`. */
  readinessCheck(name = 'database'): HealthCheck {
    return {
      name,
      check: async (signal): Promise<CheckResult> => {
        try {
          await this.ping(signal);
          return { ok: true, detail: this.engine };
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return { ok: false, reason: `${classifyDbError(error)}: ${reason}` };
        }
      },
    };
  }

  /** JSON for `/healthz`. */
  details(): { engine: DatabaseEngine; pool: { total: number; idle: number; waiting: number } | null } {
    const pool = this.#pool;
    return {
      engine: this.engine,
      pool: pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null,
    };
  }

  /** Ends the pool (waiting for checked-out connections), then stops the embedded server. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      // A start still in progress would otherwise leave an embedded server running.
      await this.#started?.catch(() => undefined);
      const pool = this.#pool;
      this.#pool = undefined;
      this.#orm = undefined;
      await pool?.end();
      await this.#embedded?.close();
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
