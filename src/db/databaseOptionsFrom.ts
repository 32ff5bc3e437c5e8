import type { Secret } from '../config/Secret.js';
import type { DatabaseOptions } from './Database.js';

/**
 * The `database` config section as this module reads it. Every key but `url` is optional here so the mapping
 * compiles against the schema before and after the section grows; the schema supplies the defaults.
 */
export interface DatabaseConfigSection {
  readonly url?: Secret;
  readonly data_dir?: string;
  readonly pool_size?: number;
  readonly statement_timeout_ms?: number;
  readonly connection_timeout_ms?: number;
}

/** Maps the `database.*` config keys to {@link DatabaseOptions}; keys left out take `DefaultDatabaseOptions`. */
export function databaseOptionsFrom(section: DatabaseConfigSection): Partial<DatabaseOptions> {
  return {
    url: section.url?.reveal(),
    dataDir: section.data_dir,
    poolSize: section.pool_size,
    statementTimeoutMs: section.statement_timeout_ms,
    connectionTimeoutMs: section.connection_timeout_ms,
  };
}
