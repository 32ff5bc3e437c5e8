/**
 * Per-member command budget: a token bucket of `perMinute` tokens refilled continuously. Memory stays bounded: full
 * buckets carry no information and are swept.
 */
export class CommandThrottle {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#ratePerMs = perMinute / 60_000;
  }

  /** Takes one token for `memberId`; false when the member is over budget. */
  take(memberId: string): boolean {
    if (this.perMinute <= 0) return true;
    const now = this.now();
    const bucket = this.#buckets.get(memberId) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.#ratePerMs);
    bucket.at = now;
    if (this.#buckets.size > 10_000) this.#sweep(now);
    if (bucket.tokens < 1) {
      this.#buckets.set(memberId, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.#buckets.set(memberId, bucket);
    return true;
  }

  #sweep(now: number): void {
    for (const [id, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#ratePerMs >= this.perMinute) this.#buckets.delete(id);
    }
  }
}
