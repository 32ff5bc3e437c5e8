import type { LoadedTrack } from '../../music/Track.js';

/** One `/search` reply waiting for its pick. */
export interface SearchSession {
  readonly ownerId: string;
  readonly guildId: string;
  readonly tracks: readonly LoadedTrack[];
  readonly createdAt: number;
}

/** How long results stay pickable and how many sessions are kept at most. */
export interface SearchSessionsOptions {
  readonly ttlMs?: number;
  readonly maxSessions?: number;
  readonly now?: () => number;
}

/** Defaults of {@link SearchSessionsOptions}. */
export const DefaultSearchSessionsOptions = Object.freeze({
  ttlMs: 10 * 60_000,
  maxSessions: 1_000,
}) satisfies SearchSessionsOptions;

/**
 * The results of recent `/search` commands, keyed by the command's interaction id, which is what the select menu's
 * custom id carries: a select value has room for an index, not for an encoded track. Memory stays bounded: sessions
 * expire after `ttlMs` and the oldest go first beyond `maxSessions`. A guild is served by one process (its shard),
 * so keeping them in memory is enough; after a restart a pick answers `search.expired`.
 */
export class SearchSessions {
  readonly #sessions = new Map<string, SearchSession>();
  readonly #ttlMs: number;
  readonly #maxSessions: number;
  readonly #now: () => number;

  constructor(options: SearchSessionsOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DefaultSearchSessionsOptions.ttlMs;
    this.#maxSessions = Math.max(1, options.maxSessions ?? DefaultSearchSessionsOptions.maxSessions);
    this.#now = options.now ?? Date.now;
  }

  /** Number of sessions held now. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Keeps `tracks` for `ownerId` under `id`. */
  add(id: string, session: Omit<SearchSession, 'createdAt'>): void {
    this.#sweep();
    this.#sessions.set(id, { ...session, createdAt: this.#now() });
    while (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
  }

  /** The live session `id`, or undefined when unknown or expired. */
  get(id: string): SearchSession | undefined {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (this.#expired(session)) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Forgets session `id` (a pick claims it before it queues anything). */
  delete(id: string): void {
    this.#sessions.delete(id);
  }

  /**
   * Puts back a session a refused pick had claimed, with its original age, so the member can pick again until it
   * expires. It goes last in eviction order even though it is older than the sessions added meanwhile.
   */
  restore(id: string, session: SearchSession): void {
    if (this.#expired(session)) return;
    this.#sessions.set(id, session);
  }

  #expired(session: SearchSession): boolean {
    return this.#now() - session.createdAt >= this.#ttlMs;
  }

  // Insertion order is creation order (but for restored sessions, which `get` expires), so expired sessions are at the
  // front.
  #sweep(): void {
    for (const [id, session] of this.#sessions) {
      if (!this.#expired(session)) break;
      this.#sessions.delete(id);
    }
  }
}
