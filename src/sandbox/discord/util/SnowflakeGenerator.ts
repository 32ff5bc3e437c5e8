/** Milliseconds since the Unix epoch of the first second of 2015, Discord's snowflake epoch. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Generates Discord snowflakes: a 42-bit millisecond timestamp, 5-bit worker id, 5-bit process id and
 * a 12-bit increment, rendered as a decimal string like the real API does.
 */
export class SnowflakeGenerator {
  #increment = 0n;
  readonly #workerId: bigint;
  readonly #processId: bigint;

  public constructor(workerId = 1, processId = 0) {
    this.#workerId = BigInt(workerId & 0x1f);
    this.#processId = BigInt(processId & 0x1f);
  }

  /** A new snowflake for `timestampMs` (default: now). */
  public next(timestampMs: number = Date.now()): string {
    const increment = this.#increment;
    this.#increment = (this.#increment + 1n) & 0xfffn;
    const timestamp = BigInt(Math.floor(timestampMs)) - DISCORD_EPOCH;
    return ((timestamp << 22n) | (this.#workerId << 17n) | (this.#processId << 12n) | increment).toString();
  }

  /**
   * A new snowflake that a gateway with `shardCount` shards routes to `shardId`
   * (`(id >> 22) % shardCount`), created at most `shardCount` ms in the past.
   */
  public nextForShard(shardId: number, shardCount: number, now: number = Date.now()): string {
    const count = BigInt(Math.max(1, shardCount));
    const offset = (BigInt(now) - DISCORD_EPOCH - BigInt(shardId)) % count;
    return this.next(now - Number(offset));
  }

  /** The creation time (ms since the Unix epoch) encoded in a snowflake. */
  public static timestampOf(id: string): number {
    return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
  }

  /** The shard a guild belongs to, per Discord's sharding formula. */
  public static shardOf(guildId: string, shardCount: number): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(Math.max(1, shardCount)));
  }
}
