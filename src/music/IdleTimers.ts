/** Why a guild's player would leave on its own: nothing to play, or nobody to play to. */
export type IdleKind = 'idle' | 'alone';

/**
 * The per-guild countdowns before an idle or lonely player leaves. Plain `setTimeout`, so tests drive them with
 * `node:test` `mock.timers`; unref'd, so a pending countdown never keeps the process alive.
 */
export class IdleTimers {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly expired: (guildId: string, kind: IdleKind) => void) {}

  /** Starts the countdown unless it is already running: repeated "still idle" signals do not postpone leaving. */
  start(guildId: string, kind: IdleKind, delayMs: number): void {
    const key = keyOf(guildId, kind);
    if (this.#timers.has(key)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.expired(guildId, kind);
    }, delayMs);
    timer.unref?.();
    this.#timers.set(key, timer);
  }

  /** Stops one countdown, or both when `kind` is left out. */
  cancel(guildId: string, kind?: IdleKind): void {
    for (const k of kind ? [kind] : (['idle', 'alone'] as const)) {
      const key = keyOf(guildId, k);
      clearTimeout(this.#timers.get(key));
      this.#timers.delete(key);
    }
  }

  running(guildId: string, kind: IdleKind): boolean {
    return this.#timers.has(keyOf(guildId, kind));
  }

  /** Stops every countdown. */
  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

function keyOf(guildId: string, kind: IdleKind): string {
  return `${kind}:${guildId}`;
}
