import { createHash } from 'node:crypto';

/** How many requests a bucket allows per window. */
export interface RateLimitPolicy {
  readonly limit: number;
  readonly windowMs: number;
}

/** The outcome of counting one request against its bucket. */
export interface RateLimitDecision {
  readonly headers: Record<string, string>;
  /** Set when the bucket is exhausted: how long until it resets. */
  readonly retryAfterMs?: number;
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

/** Seconds with millisecond precision, as Discord writes them in headers. */
export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * Per-route buckets like Discord's: a bucket is identified by an opaque hash of the route template, and
 * counted separately per major parameter (channel, guild, webhook). Every response carries the
 * `X-RateLimit-*` headers @discordjs/rest reads to throttle itself.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  public constructor(private readonly policy: RateLimitPolicy) {}

  /** The opaque bucket hash Discord would report for a route. */
  public static bucketHash(method: string, pattern: string): string {
    return createHash('md5').update(`${method} ${pattern}`).digest('hex');
  }

  /** Counts a request and returns its headers; `retryAfterMs` is set when the request must be refused. */
  public take(method: string, pattern: string, majorValue: string, now = Date.now()): RateLimitDecision {
    const hash = RateLimiter.bucketHash(method, pattern);
    const key = `${hash}:${majorValue}`;
    let bucket = this.#buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { remaining: this.policy.limit, resetAt: now + this.policy.windowMs };
      this.#buckets.set(key, bucket);
    }
    if (bucket.remaining <= 0) {
      return {
        headers: this.#headers(hash, 0, bucket.resetAt, now),
        retryAfterMs: bucket.resetAt - now,
      };
    }
    bucket.remaining -= 1;
    return { headers: this.#headers(hash, bucket.remaining, bucket.resetAt, now) };
  }

  /** Headers of an exhausted bucket that resets in `retryAfterMs`, for injected 429s. */
  public exhaustedHeaders(
    method: string,
    pattern: string,
    retryAfterMs: number,
    now = Date.now(),
  ): Record<string, string> {
    return this.#headers(RateLimiter.bucketHash(method, pattern), 0, now + retryAfterMs, now);
  }

  #headers(hash: string, remaining: number, resetAt: number, now: number): Record<string, string> {
    return {
      'X-RateLimit-Limit': String(this.policy.limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': seconds(resetAt),
      'X-RateLimit-Reset-After': seconds(resetAt - now),
      'X-RateLimit-Bucket': hash,
    };
  }
}
