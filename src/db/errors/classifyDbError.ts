import { BrokenConnectionCodes } from '../../util/socketErrorCodes.js';

/**
 * The classes of database error in the telemetry contract (`error.type` of `metronome.db.errors`). Low cardinality on
 * purpose: dashboards and alerts group by them, and `@retryable` decides on them.
 */
export const DbErrorTypes = [
  'timeout',
  'connection',
  'syntax',
  'constraint',
  'not_found',
  'deadlock',
  'other',
] as const;

/** One of {@link DbErrorTypes}. */
export type DbErrorType = (typeof DbErrorTypes)[number];

// SQLSTATEs outside a whole class that mean the session is gone (class 57 is "operator intervention").
const ConnectionStates = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, server stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: server starting or in recovery
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
]);

// Socket errors of Node (errno codes), all meaning the server could not be reached or the link broke: the broken
// connections, an aborted one, and a host name that does not resolve (now or for good).
const SocketCodes = new Set([...BrokenConnectionCodes, 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN']);

// node-postgres raises these as plain Errors without a code.
const ConnectionMessages = [
  'Connection terminated', // covers "... unexpectedly" and "... due to connection timeout"
  'timeout exceeded when trying to connect', // pg-pool: no connection within connectionTimeoutMillis
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];
const TimeoutMessages = ['Query read timeout'];

/**
 * Classifies a database error by its SQLSTATE (PostgreSQL error code), the socket error code, or the driver's
 * message, looking through `cause` chains (drizzle wraps driver errors in `DrizzleQueryError`).
 *
 * - `timeout`: 57014 query_canceled (statement_timeout), 25P03 idle-in-transaction timeout, the driver's
 *   client-side `query_timeout`;
 * - `connection`: class 08, 57P01/57P02/57P03/57P05, 53300, socket errors, pool connect timeouts, terminated
 *   connections;
 * - `syntax`: class 42 (syntax error or access rule violation: 42601, 42P01 undefined table, 42703 undefined column...);
 * - `constraint`: class 23 (integrity constraint violation);
 * - `deadlock`: 40P01 deadlock_detected and 40001 serialization_failure, both "the transaction lost a race with
 *   another; run it again", which is the only thing the bot does about either;
 * - `not_found`: P0002 no_data_found, 02000 no_data, and {@link RowNotFoundError};
 * - `other`: everything else.
 */
export function classifyDbError(error: unknown): DbErrorType {
  let current: unknown = error;
  // A bounded walk: a cause chain can be cyclic.
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    const found = classifyOne(current);
    if (found) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return 'other';
}

/** Errors worth running again as they are: the connection broke, or the transaction lost a race. */
export function isTransientDbErrorType(type: DbErrorType): boolean {
  return type === 'connection' || type === 'deadlock';
}

/** The database did not answer (as opposed to answering with an error about the statement). */
export function isUnreachableDbErrorType(type: DbErrorType): boolean {
  return type === 'connection' || type === 'timeout';
}

/** A query that must find a row found none; classified `not_found`. */
export class RowNotFoundError extends Error {
  override readonly name = 'RowNotFoundError';
}

function classifyOne(error: unknown): DbErrorType | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof RowNotFoundError) return 'not_found';
  const existing = (error as { errorType?: unknown }).errorType;
  if (typeof existing === 'string' && (DbErrorTypes as readonly string[]).includes(existing)) {
    return existing as DbErrorType;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Socket codes first: EPIPE has the shape of a SQLSTATE.
    if (SocketCodes.has(code)) return 'connection';
    if (/^[0-9A-Z]{5}$/.test(code)) return fromSqlState(code);
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string') {
    if (TimeoutMessages.some((m) => message.includes(m))) return 'timeout';
    if (ConnectionMessages.some((m) => message.includes(m))) return 'connection';
  }
  return undefined;
}

function fromSqlState(state: string): DbErrorType {
  if (state === '57014' || state === '25P03') return 'timeout';
  if (state.startsWith('08') || ConnectionStates.has(state)) return 'connection';
  if (state === '40P01' || state === '40001') return 'deadlock';
  if (state.startsWith('23')) return 'constraint';
  if (state.startsWith('42')) return 'syntax';
  if (state === 'P0002' || state === '02000') return 'not_found';
  // A SQLSTATE we do not group: still a database error, just not one of the named classes.
  return 'other';
}
