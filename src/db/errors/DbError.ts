import { DrizzleQueryError } from 'drizzle-orm';
import {
  classifyDbError,
  type DbErrorType,
  isTransientDbErrorType,
  isUnreachableDbErrorType,
} from './classifyDbError.js';

/** Where a {@link DbError} happened: the repository operation and table, as on the metrics. */
export interface DbErrorContext {
  /** SQL command (`SELECT`, `INSERT`, ...), the `db.operation.name` attribute. */
  readonly operation: string;
  /** Table, the `db.collection.name` attribute. */
  readonly collection: string;
}

/**
 * A failed repository call: what was attempted, the class of the failure, and the driver's error as `cause`. Query
 * parameters are never part of the message (drizzle's own wrapper puts them in its message, so it is unwrapped).
 */
export class DbError extends Error {
  override readonly name = 'DbError';
  readonly errorType: DbErrorType;
  readonly operation: string;
  readonly collection: string;
  /** SQLSTATE (`23505`) or socket error code (`ECONNREFUSED`), when the driver gave one. */
  readonly code: string | undefined;

  constructor(context: DbErrorContext, cause: unknown) {
    const driverError = unwrapDriverError(cause);
    const errorType = classifyDbError(cause);
    const code = codeOf(driverError);
    const detail = driverError instanceof Error ? driverError.message : String(driverError);
    super(`${context.operation} ${context.collection} failed (${errorType}${code ? ` ${code}` : ''}): ${detail}`, {
      cause: driverError,
    });
    this.errorType = errorType;
    this.operation = context.operation;
    this.collection = context.collection;
    this.code = code;
  }

  /** Worth retrying as is: the connection broke, or a deadlock or serialization failure. */
  get transient(): boolean {
    return isTransientDbErrorType(this.errorType);
  }

  /** The database did not answer: the connection failed or the query timed out. */
  get unreachable(): boolean {
    return isUnreachableDbErrorType(this.errorType);
  }

  /** `error` as a DbError: itself when it already is one (a retried call must not wrap twice). */
  static from(error: unknown, context: DbErrorContext): DbError {
    return error instanceof DbError ? error : new DbError(context, error);
  }
}

/** The retry predicate of every repository method: only transient database errors. */
export function isTransientDbError(error: Error): boolean {
  return error instanceof DbError && error.transient;
}

/**
 * Whether a write that failed with `error` is worth keeping for a later try: the database may get over a broken
 * connection or a lost race (transient) and a timeout (it is slow, not refusing the write). The background writers'
 * predicate; anything else is refused for good.
 */
export function isRetryableLater(error: unknown): error is DbError {
  return error instanceof DbError && (error.transient || error.unreachable);
}

/** The `error_type` a log line gives any failure: a {@link DbError}'s class, else `other`. */
export function dbErrorTypeOf(error: unknown): string {
  return error instanceof DbError ? error.errorType : 'other';
}

// drizzle's DrizzleQueryError carries the SQL and its parameters in its message; its cause is the driver's error.
function unwrapDriverError(error: unknown): unknown {
  if (error instanceof DrizzleQueryError && error.cause !== undefined) {
    return error.cause;
  }
  return error;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
