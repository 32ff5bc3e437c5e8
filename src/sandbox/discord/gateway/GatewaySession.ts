import { GatewayOpcodes } from 'discord-api-types/v10';
import type { GatewayConnection, GatewayPayload } from './GatewayConnection.js';

/** How many dispatches a session keeps for RESUME. */
const REPLAY_BUFFER_SIZE = 2000;

/** A dispatch as the session numbered it. */
export interface SequencedDispatch extends GatewayPayload {
  s: number;
  t: string;
}

/**
 * A gateway session: what IDENTIFY creates and RESUME continues. It outlives its connections; while no
 * connection is attached, dispatches are only buffered, and a RESUME replays them.
 */
export class GatewaySession {
  public sequence = 0;
  public connection: GatewayConnection | null = null;
  public presence: unknown = null;
  readonly #buffer: SequencedDispatch[] = [];

  public constructor(
    public readonly id: string,
    public readonly shardId: number,
    public readonly shardCount: number,
    public readonly intents: number,
  ) {}

  /** Numbers a dispatch and keeps it for replay; the caller delivers it to the attached connection. */
  public sequenceDispatch(t: string, d: unknown): SequencedDispatch {
    this.sequence += 1;
    const payload: SequencedDispatch = { op: GatewayOpcodes.Dispatch, d, s: this.sequence, t };
    this.#buffer.push(payload);
    if (this.#buffer.length > REPLAY_BUFFER_SIZE) this.#buffer.shift();
    return payload;
  }

  /**
   * The dispatches after `sequence`, or null when they can no longer be replayed (too old, or a sequence
   * this session never reached), which Discord answers with INVALID_SESSION.
   */
  public missedSince(sequence: number): SequencedDispatch[] | null {
    if (sequence > this.sequence) return null;
    const oldest = this.#buffer[0]?.s ?? this.sequence + 1;
    if (sequence + 1 < oldest) return null;
    return this.#buffer.filter((p) => p.s > sequence);
  }

  /** Whether the guild belongs to this session's shard. */
  public handles(guildId: string): boolean {
    return Number((BigInt(guildId) >> 22n) % BigInt(this.shardCount)) === this.shardId;
  }

  /** Whether the session identified with every bit of `intent`. */
  public hasIntent(intent: number): boolean {
    return (this.intents & intent) === intent;
  }
}
