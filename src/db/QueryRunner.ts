import { trace } from '@opentelemetry/api';
import type { DbInstruments, DbQueryAttributes } from '../telemetry/DbInstruments.js';
import type { RetryPolicyOptions } from '../telemetry/decorators/retryable.js';
import { AttributeNames } from '../telemetry/TelemetryNames.js';
import { DbError, isTransientDbError } from './errors/DbError.js';

/** SQL commands, the `db.operation.name` values of Metronome's own database metrics (as instrumentation-pg's). */
export const DbOperations = {
  Select: 'SELECT',
  Insert: 'INSERT',
  Update: 'UPDATE',
  Delete: 'DELETE',
} as const;

/**
 * Times and classifies repository queries: each run records `metronome.db.query.duration` (operation, table,
 * outcome) and, on failure, `metronome.db.errors` (operation, table, error.type), puts the SQLSTATE on the active
 * span, and rethrows the failure as a {@link DbError}. Under `@retryable`, each attempt is one run.
 */
export class QueryRunner {
  constructor(private readonly instruments: DbInstruments) {}

  async run<T>(where: DbQueryAttributes, query: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await query();
      this.instruments.recordQuery(where, elapsedSeconds(started), 'success');
      return result;
    } catch (cause) {
      const error = DbError.from(cause, where);
      this.instruments.recordQuery(where, elapsedSeconds(started), 'error');
      this.instruments.recordError(where, error.errorType);
      if (error.code && /^[0-9A-Z]{5}$/.test(error.code)) {
        trace.getActiveSpan()?.setAttribute(AttributeNames.DbResponseStatusCode, error.code);
      }
      throw error;
    }
  }
}

/**
 * The retry policy of every repository method: at most 3 retries, 50 ms doubling to 1 s with jitter (under 2 s in
 * all, so a command still answers in time), and only for transient errors (connection lost, deadlock, serialization
 * failure). Constraint, syntax, timeout and not-found errors fail at once: running them again cannot succeed, or, for
 * a timeout, would add load to a database that is already slow.
 */
export function dbRetry(operation: string): RetryPolicyOptions {
  return { operation, maxRetries: 3, initialDelayMs: 50, maxDelayMs: 1_000, retryOn: isTransientDbError };
}

/** Attributes of a repository span (`@traced`), the same keys as the metrics'. */
export function dbSpanAttributes(where: DbQueryAttributes) {
  return {
    [AttributeNames.DbSystemName]: 'postgresql',
    [AttributeNames.DbOperationName]: where.operation,
    [AttributeNames.DbCollectionName]: where.collection,
  };
}

function elapsedSeconds(started: number): number {
  return (performance.now() - started) / 1000;
}
