import { randomUUID } from 'node:crypto';
import type { DbInstruments } from '../telemetry/DbInstruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { dbErrorTypeOf, isRetryableLater } from './errors/DbError.js';
import type { PlayHistoryEntry, PlayHistoryRepository } from './repositories/PlayHistoryRepository.js';

/** A finished play, as the music layer reports it. */
export interface PlayRecord {
  readonly guildId: string;
  readonly memberId: string;
  readonly trackIdentifier: string;
  readonly title: string;
  readonly author?: string;
  readonly uri?: string | null;
  readonly source: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly playedMs: number;
}

/** How the writer buffers and retries. */
export interface HistoryWriterOptions {
  /**
   * Rows kept while the database cannot take them; beyond it the oldest are dropped (and counted). One batch in flight
   * comes on top.
   */
  readonly maxBuffered: number;
  /** Rows per INSERT. */
  readonly batchSize: number;
  /** How long a row waits for others to be written with it. */
  readonly flushDelayMs: number;
  /** Longest wait between attempts while the database is down (the wait doubles from `flushDelayMs`). */
  readonly maxBackoffMs: number;
}

/** Defaults of {@link HistoryWriterOptions}. */
export const DefaultHistoryWriterOptions = {
  maxBuffered: 10_000,
  batchSize: 500,
  flushDelayMs: 1_000,
  maxBackoffMs: 30_000,
} as const satisfies HistoryWriterOptions;

/** What the writer reports in `/healthz`. */
export interface HistoryWriterDetails {
  readonly pending: number;
  readonly written: number;
  /** Rows lost: pushed out of a full buffer during an outage, or refused by the database. */
  readonly dropped: number;
  /** The class of the last failure while the database is failing; null when the last write succeeded. */
  readonly failing: string | null;
}

/**
 * Writes play history without ever making playback wait for the database: `record()` only appends to a bounded
 * in-memory buffer; rows are inserted in batches shortly after, and while the database is unreachable they stay
 * buffered and are retried with a backoff, so an outage loses nothing unless it outlasts the buffer.
 *
 * Failed attempts are counted by the repository in `metronome.db.errors` (collection `play_history`). Rows the writer
 * gives up on are lost user data: they are counted in `metronome.db.history.dropped` {reason} and in
 * {@link HistoryWriterDetails.dropped} (in `/healthz`), and logged: the oldest rows when the buffer is full
 * (`overflow`), and rows the database refused for good (`refused`: a constraint, syntax or other error that retrying
 * cannot help). A refused batch is retried one row at a time, so one bad row does not cost the rows beside it.
 */
export class HistoryWriter implements AsyncDisposable {
  readonly #options: HistoryWriterOptions;
  readonly #buffer: PlayHistoryEntry[] = [];
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #failures = 0;
  #failing: string | null = null;
  #written = 0;
  #dropped = 0;
  #droppedSinceWarning = 0;
  #closed = false;

  constructor(
    private readonly repository: Pick<PlayHistoryRepository, 'insertMany'>,
    private readonly instruments: Pick<DbInstruments, 'recordHistoryDropped'>,
    private readonly logger: Logger,
    options: Partial<HistoryWriterOptions> = {},
  ) {
    this.#options = { ...DefaultHistoryWriterOptions, ...options };
  }

  /** Queues a play for writing. Never throws, never waits. */
  record(play: PlayRecord): void {
    this.#append([toEntry(play)]);
    // While the database is failing a retry is already scheduled, and #schedule keeps it.
    if (!this.#closed) this.#schedule(this.#options.flushDelayMs);
  }

  /** Rows not yet written: buffered, or in an INSERT that has not returned. */
  get pending(): number {
    return this.#buffer.length + this.#inFlight;
  }

  details(): HistoryWriterDetails {
    return { pending: this.pending, written: this.#written, dropped: this.#dropped, failing: this.#failing };
  }

  /**
   * Writes everything buffered now, without waiting for the backoff. Resolves when the buffer is empty or an attempt
   * failed (the rows then stay buffered); never rejects.
   */
  async flush(): Promise<void> {
    this.#cancelTimer();
    await this.#draining;
    await this.#drain();
  }

  /** Stops scheduling writes and makes a last attempt at everything buffered. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    this.#cancelTimer();
    if (this.pending > 0) {
      this.logger.warn({ pending: this.pending }, 'play history not written before shutdown');
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #schedule(delayMs: number): void {
    if (this.#timer || this.#draining) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#drain();
    }, delayMs);
    this.#timer.unref();
  }

  #cancelTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #drain(): Promise<void> {
    this.#draining ??= this.#writeAll().finally(() => {
      this.#draining = undefined;
      if (this.#closed || this.#buffer.length === 0) return;
      // Rows that arrived during the last write, or a retry after a failure.
      const backoff = Math.min(this.#options.maxBackoffMs, this.#options.flushDelayMs * 2 ** this.#failures);
      this.#schedule(this.#failures === 0 ? this.#options.flushDelayMs : backoff);
    });
    return this.#draining;
  }

  async #writeAll(): Promise<void> {
    while (this.#buffer.length > 0) {
      // Taken out while in flight: rows recorded meanwhile are appended, and a full buffer drops from the front
      // without disturbing the batch.
      const batch = this.#buffer.splice(0, this.#options.batchSize);
      this.#inFlight = batch.length;
      try {
        await this.repository.insertMany(batch);
        this.#inFlight = 0;
        this.#written += batch.length;
        if (this.#failures > 0) {
          this.logger.info({ failures: this.#failures, pending: this.#buffer.length }, 'play history writes resumed');
        }
        this.#failures = 0;
        this.#failing = null;
      } catch (error) {
        this.#inFlight = 0;
        if (isRetryableLater(error)) {
          this.#keep(batch, error);
          return;
        }
        // The database answered, and refused the batch for good. It refuses a batch whole for a single bad row, so
        // its rows are tried one at a time, and only the rows refused on their own are lost.
        if (batch.length === 1) this.#refuse(1, error);
        else if (!(await this.#writeOneByOne(batch))) return;
        this.#failures = 0;
        this.#failing = null;
      }
    }
  }

  /** Writes `rows` one insert each; false if the database became unreachable (the unwritten rows are kept). */
  async #writeOneByOne(rows: PlayHistoryEntry[]): Promise<boolean> {
    let refused = 0;
    let lastError: unknown;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as PlayHistoryEntry;
      this.#inFlight = rows.length - i;
      try {
        await this.repository.insertMany([row]);
        this.#written++;
      } catch (error) {
        if (isRetryableLater(error)) {
          this.#inFlight = 0;
          if (refused > 0) this.#refuse(refused, lastError);
          this.#keep(rows.slice(i), error);
          return false;
        }
        refused++;
        lastError = error;
      }
    }
    this.#inFlight = 0;
    if (refused > 0) this.#refuse(refused, lastError);
    return true;
  }

  /** Puts rows the database could not take yet back at the front of the buffer, to retry after a backoff. */
  #keep(rows: PlayHistoryEntry[], error: unknown): void {
    this.#buffer.unshift(...rows);
    this.#trim();
    const errorType = dbErrorTypeOf(error);
    if (this.#failures === 0) {
      this.logger.warn(
        { err: error, error_type: errorType, pending: this.#buffer.length },
        'play history cannot be written; buffering until the database is back',
      );
    }
    this.#failures++;
    this.#failing = errorType;
  }

  /** Counts and logs rows the database refused for good. */
  #refuse(rows: number, error: unknown): void {
    this.#dropped += rows;
    this.instruments.recordHistoryDropped(rows, 'refused');
    this.logger.error(
      { err: error, error_type: dbErrorTypeOf(error), dropped: rows },
      'play history rows refused by the database; dropped',
    );
  }

  #append(entries: PlayHistoryEntry[]): void {
    this.#buffer.push(...entries);
    this.#trim();
  }

  #trim(): void {
    const excess = this.#buffer.length - this.#options.maxBuffered;
    if (excess <= 0) return;
    this.#buffer.splice(0, excess);
    this.#dropped += excess;
    this.instruments.recordHistoryDropped(excess, 'overflow');
    // One warning per thousand drops, not one per row.
    this.#droppedSinceWarning += excess;
    if (this.#droppedSinceWarning >= 1000 || this.#dropped === excess) {
      this.logger.warn(
        { dropped_total: this.#dropped, max_buffered: this.#options.maxBuffered },
        'play history buffer full; dropping the oldest rows',
      );
      this.#droppedSinceWarning = 0;
    }
  }
}

function toEntry(play: PlayRecord): PlayHistoryEntry {
  return {
    id: randomUUID(),
    guildId: play.guildId,
    memberId: play.memberId,
    trackIdentifier: play.trackIdentifier,
    title: play.title,
    author: play.author ?? '',
    uri: play.uri ?? null,
    source: play.source,
    startedAt: play.startedAt,
    endedAt: play.endedAt,
    // The column refuses negatives; a clock step must not cost the row.
    playedMs: Math.max(0, Math.round(play.playedMs)),
  };
}
