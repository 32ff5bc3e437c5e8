import type { Counter, Histogram, ObservableCallback, ObservableGauge } from '@opentelemetry/api';
import type { Instruments } from './Instruments.js';
import { AttributeNames, InstrumentNames } from './TelemetryNames.js';

/** The `outcome` attribute of `metronome.db.query.duration`. */
export type DbQueryOutcome = 'success' | 'error';

/**
 * The `reason` attribute of `metronome.db.history.dropped`: `overflow` when a full buffer pushed out its oldest rows,
 * `refused` when the database refused a batch for good (a constraint, syntax or other error that is not `connection`,
 * `deadlock` or `timeout`: retrying cannot help).
 */
export type HistoryDropReason = 'overflow' | 'refused';

const HistoryDropReasons: readonly HistoryDropReason[] = ['overflow', 'refused'];

/** The `window` attribute of `metronome.users.active`. */
export type ActiveUsersWindow = '1d' | '30d';

/** Distinct members who played music, per window, as last computed. */
export type ActiveUsersReading = Readonly<Record<ActiveUsersWindow, number>>;

/** Where a query ran: the SQL command and the table. Both low cardinality, never an id. */
export interface DbQueryAttributes {
  readonly operation: string;
  readonly collection: string;
}

/**
 * The instruments of persistence (`metronome.db.query.duration`, `metronome.db.errors`,
 * `metronome.db.history.dropped`, `metronome.users.active`), made from the catalogue through {@link Instruments} so
 * names, units, descriptions and buckets are the contract's.
 * The pool's own metrics (`db.client.connection.*`) and per-statement durations come from instrumentation-pg.
 */
export class DbInstruments {
  readonly queryDuration: Histogram;
  readonly errors: Counter;
  readonly historyDropped: Counter;
  readonly usersActive: ObservableGauge;

  constructor(instruments: Instruments) {
    const N = InstrumentNames;
    this.queryDuration = instruments.histogram(N.DbQueryDuration);
    this.errors = instruments.counter(N.DbErrors);
    this.historyDropped = instruments.counter(N.DbHistoryDropped);
    // Both series exist from the start, at 0: Prometheus' increase() cannot see the first drop of a series that
    // appears with it, and a refused batch may be the only drop for days.
    for (const reason of HistoryDropReasons) this.historyDropped.add(0, { [AttributeNames.Reason]: reason });
    this.usersActive = instruments.gauge(N.UsersActive);
  }

  /** One repository query (one attempt, when retried) that took `seconds`. */
  recordQuery(where: DbQueryAttributes, seconds: number, outcome: DbQueryOutcome): void {
    this.queryDuration.record(seconds, { ...attributes(where), [AttributeNames.Outcome]: outcome });
  }

  /** One failed query, by class (`timeout`, `connection`, `syntax`, `constraint`, `not_found`, `deadlock`, `other`). */
  recordError(where: DbQueryAttributes, errorType: string): void {
    this.errors.add(1, { ...attributes(where), [AttributeNames.ErrorType]: errorType });
  }

  /** `count` play history rows lost for `reason`. */
  recordHistoryDropped(count: number, reason: HistoryDropReason): void {
    this.historyDropped.add(count, { [AttributeNames.Reason]: reason });
  }

  /**
   * Feeds `metronome.users.active` from `source`, read at each collection (it must not do I/O: a job computes the
   * numbers, the gauge reports the latest). Nothing is observed before the first computation. Returns the function
   * that stops observing.
   */
  observeActiveUsers(source: () => ActiveUsersReading | undefined): () => void {
    const callback: ObservableCallback = (result) => {
      const reading = source();
      if (!reading) return;
      for (const window of ['1d', '30d'] as const) {
        result.observe(reading[window], { [AttributeNames.Window]: window });
      }
    };
    this.usersActive.addCallback(callback);
    return () => this.usersActive.removeCallback(callback);
  }
}

function attributes(where: DbQueryAttributes) {
  return { [AttributeNames.DbOperationName]: where.operation, [AttributeNames.DbCollectionName]: where.collection };
}
