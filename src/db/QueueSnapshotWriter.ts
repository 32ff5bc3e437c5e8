import type { Logger } from '../telemetry/logging/createLogger.js';
import { DbError } from './errors/DbError.js';
import type { QueueSnapshotRepository } from './repositories/QueueSnapshotRepository.js';

/** How the writer coalesces. */
export interface QueueSnapshotWriterOptions {
  /** A guild's snapshot is written at most once per this long; changes in between replace the pending one. */
  readonly delayMs: number;
  /** Wait before trying again after a failed write. */
  readonly retryDelayMs: number;
}

/** Defaults of {@link QueueSnapshotWriterOptions}. */
export const DefaultQueueSnapshotWriterOptions = {
  delayMs: 1_000,
  retryDelayMs: 5_000,
} as const satisfies QueueSnapshotWriterOptions;

type Change = { readonly kind: 'save'; readonly snapshot: object } | { readonly kind: 'delete' };

/**
 * Persists queue snapshots without making a command wait for the database: `save()` and `delete()` only record the
 * latest change of the guild; it is written `delayMs` later, so a burst of changes (skip, skip, shuffle) costs one
 * write. Writes of one guild never overlap, so an older snapshot cannot overwrite a newer one. A failed write is
 * retried later unless a newer change replaced it; memory stays bounded by the number of guilds. `flush()` writes
 * everything pending at once (shutdown).
 */
export class QueueSnapshotWriter implements AsyncDisposable {
  readonly #options: QueueSnapshotWriterOptions;
  readonly #pending = new Map<string, Change>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #chains = new Map<string, Promise<void>>();
  #written = 0;
  #failed = 0;
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

  details(): { pending: number; written: number; failed: number } {
    return { pending: this.#pending.size, written: this.#written, failed: this.#failed };
  }

  /** Writes every pending change now and waits for writes in flight. Never rejects; failures stay pending. */
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
    } catch (error) {
      this.#failed++;
      this.logger.warn(
        { err: error, error_type: error instanceof DbError ? error.errorType : 'other', guild_id: guildId },
        'queue snapshot write failed; will retry',
      );
      // A newer change supersedes the failed one; otherwise try this one again later.
      if (!this.#pending.has(guildId)) {
        this.#pending.set(guildId, change);
        this.#schedule(guildId, this.#options.retryDelayMs);
      }
    }
  }
}
