import type { Logger } from '../telemetry/logging/createLogger.js';
import { type DbError, dbErrorTypeOf, isRetryableLater } from './errors/DbError.js';
import type { QueueSnapshotRepository } from './repositories/QueueSnapshotRepository.js';

/** How the writer coalesces. */
export interface QueueSnapshotWriterOptions {
  /** A guild's snapshot is written at most once per this long; changes in between replace the pending one. */
  readonly delayMs: number;
  /** Wait before the first retry of a guild's write while the database cannot take it; it doubles per failure. */
  readonly retryDelayMs: number;
  /** Longest wait between retries of a guild's write. */
  readonly maxRetryDelayMs: number;
}

/** Defaults of {@link QueueSnapshotWriterOptions}. */
export const DefaultQueueSnapshotWriterOptions = {
  delayMs: 1_000,
  retryDelayMs: 5_000,
  maxRetryDelayMs: 60_000,
} as const satisfies QueueSnapshotWriterOptions;

/** What the writer reports in `/healthz`. */
export interface QueueSnapshotWriterDetails {
  readonly pending: number;
  readonly written: number;
  /** Failed write attempts, retried or not. */
  readonly failed: number;
  /** Changes given up on because the database refused them for good. */
  readonly dropped: number;
  /** The class of the last failure while the database is failing; null once a write succeeded again. */
  readonly failing: string | null;
}

type Change = { readonly kind: 'save'; readonly snapshot: object } | { readonly kind: 'delete' };

/**
 * Persists queue snapshots without making a command wait for the database: `save()` and `delete()` only record the
 * latest change of the guild; it is written `delayMs` later, so a burst of changes (skip, skip, shuffle) costs one
 * write. Writes of one guild never overlap, so an older snapshot cannot overwrite a newer one. `flush()` writes
 * everything pending at once (shutdown).
 *
 * While the database cannot take writes (a `connection`, `deadlock` or `timeout` failure) the guild's latest change
 * is kept and retried after a wait that doubles per failure of that guild, up to `maxRetryDelayMs`; memory stays
 * bounded by the number of guilds. An outage is logged once when writes start failing and once when they resume,
 * however many guilds are waiting. A change the database refuses for good (a constraint, syntax or other error) is
 * dropped, logged at error level and counted in {@link QueueSnapshotWriterDetails.dropped}.
 */
export class QueueSnapshotWriter implements AsyncDisposable {
  readonly #options: QueueSnapshotWriterOptions;
  readonly #pending = new Map<string, Change>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #chains = new Map<string, Promise<void>>();
  /** Consecutive failed writes per guild that is waiting for a retry. */
  readonly #retries = new Map<string, number>();
  #written = 0;
  #failed = 0;
  #dropped = 0;
  /** Failed writes since the last one that succeeded, all guilds together; 0 while writes succeed. */
  #failures = 0;
  #failing: string | null = null;
  #closed = false;

  constructor(
    private readonly repository: Pick<QueueSnapshotRepository, 'save' | 'delete'>,
    private readonly logger: Logger,
    options: Partial<QueueSnapshotWriterOptions> = {},
  ) {
    this.#options = { ...DefaultQueueSnapshotWriterOptions, ...options };
  }

  /** Records `snapshot` as the guild's latest state. Never throws, never waits. */
  save(guildId: string, snapshot: object): void {
    this.#change(guildId, { kind: 'save', snapshot });
  }

  /** Records that the guild has no player any more (its snapshot is deleted). Never throws, never waits. */
  delete(guildId: string): void {
    this.#change(guildId, { kind: 'delete' });
  }

  /** Guilds with a change not yet written. */
  get pending(): number {
    return this.#pending.size;
  }

  details(): QueueSnapshotWriterDetails {
    return {
      pending: this.#pending.size,
      written: this.#written,
      failed: this.#failed,
      dropped: this.#dropped,
      failing: this.#failing,
    };
  }

  /**
   * Writes every pending change now, without waiting for a backoff, and waits for writes in flight. Never rejects;
   * changes the database could not take yet stay pending.
   */
  async flush(): Promise<void> {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    const writes = [...this.#pending.keys()].map((guildId) => this.#write(guildId));
    await Promise.all([...writes, ...this.#chains.values()]);
  }

  /** Flushes, then stops: later changes are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    if (this.#pending.size > 0) {
      this.logger.warn({ pending: this.#pending.size }, 'queue snapshots not written before shutdown');
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #change(guildId: string, change: Change): void {
    if (this.#closed) return;
    this.#pending.set(guildId, change);
    this.#schedule(guildId, this.#options.delayMs);
  }

  #schedule(guildId: string, delayMs: number): void {
    if (this.#closed || this.#timers.has(guildId)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(guildId);
      void this.#write(guildId);
    }, delayMs);
    timer.unref();
    this.#timers.set(guildId, timer);
  }

  // Chains writes per guild: the next starts when the previous settled, and takes whatever change is latest then.
  #write(guildId: string): Promise<void> {
    const previous = this.#chains.get(guildId) ?? Promise.resolve();
    const next = previous.then(() => this.#writeLatest(guildId));
    this.#chains.set(guildId, next);
    void next.then(() => {
      if (this.#chains.get(guildId) === next) this.#chains.delete(guildId);
    });
    return next;
  }

  async #writeLatest(guildId: string): Promise<void> {
    const change = this.#pending.get(guildId);
    if (!change) return;
    this.#pending.delete(guildId);
    try {
      if (change.kind === 'save') await this.repository.save(guildId, change.snapshot);
      else await this.repository.delete(guildId);
      this.#written++;
      this.#retries.delete(guildId);
      if (this.#failures > 0) {
        this.logger.info({ failures: this.#failures, pending: this.#pending.size }, 'queue snapshot writes resumed');
      }
      this.#failures = 0;
      this.#failing = null;
    } catch (error) {
      this.#failed++;
      if (isRetryableLater(error)) this.#retryLater(guildId, change, error);
      else this.#refuse(guildId, change, error);
    }
  }

  /** Keeps the change unless a newer one replaced it, and tries the guild again after its backoff. */
  #retryLater(guildId: string, change: Change, error: DbError): void {
    if (!this.#pending.has(guildId)) this.#pending.set(guildId, change);
    if (this.#failures === 0) {
      this.logger.warn(
        { err: error, error_type: error.errorType, pending: this.#pending.size },
        'queue snapshots cannot be written; keeping the latest of each guild until the database is back',
      );
    }
    this.#failures++;
    this.#failing = error.errorType;
    const retries = (this.#retries.get(guildId) ?? 0) + 1;
    this.#retries.set(guildId, retries);
    // A change that came in during the write has a timer of `delayMs`; the database is failing, so it waits too.
    clearTimeout(this.#timers.get(guildId));
    this.#timers.delete(guildId);
    const { retryDelayMs, maxRetryDelayMs } = this.#options;
    this.#schedule(guildId, Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (retries - 1)));
  }

  /** Drops a change the database refused for good: retrying cannot help. A newer change is still written. */
  #refuse(guildId: string, change: Change, error: unknown): void {
    this.#dropped++;
    this.#retries.delete(guildId);
    this.logger.error(
      {
        err: error,
        error_type: dbErrorTypeOf(error),
        guild_id: guildId,
        change: change.kind,
        dropped_total: this.#dropped,
      },
      'queue snapshot refused by the database; dropped',
    );
  }
}
