/** A guild's own budget per member and minute (its `/settings throttle`), or undefined for the configured one. */
export type GuildThrottleLimit = (guildId: string) => number | undefined;

/**
 * Per-member command budget: a token bucket of `perMinute` tokens refilled continuously. A guild may set its own
 * budget (`limitFor`); a member's bucket then holds and refills at the limit of the guild the command comes from.
 * Memory stays bounded: full buckets carry no information and are swept.
 */
export class CommandThrottle {
  readonly #buckets = new Map<string, { tokens: number; at: number; limit: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly limitFor: GuildThrottleLimit = () => undefined,
  ) {}

  /** Takes one token for `memberId` (in `guildId`, whose override applies); false when over budget. */
  take(memberId: string, guildId?: string | null): boolean {
    const limit = (guildId ? this.limitFor(guildId) : undefined) ?? this.perMinute;
    if (limit <= 0) return true;
    const now = this.now();
    const bucket = this.#buckets.get(memberId) ?? { tokens: limit, at: now, limit };
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.at) * (limit / 60_000));
    bucket.at = now;
    bucket.limit = limit;
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
      if (bucket.tokens + (now - bucket.at) * (bucket.limit / 60_000) >= bucket.limit) this.#buckets.delete(id);
    }
  }
}
