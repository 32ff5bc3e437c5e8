import {
  type Connection,
  type Node,
  Player,
  type PlayerUpdate,
  type TrackEndEvent,
  type TrackExceptionEvent,
  type TrackStartEvent,
  type TrackStuckEvent,
  type Utils,
  type WebSocketClosedEvent,
} from 'shoukaku';
import { VoiceStateError, voiceStateOf } from './voiceState.js';

/** A voice update shoukaku started on its own (a VOICE_SERVER_UPDATE) that was skipped or failed. */
export type VoiceUpdateProblem =
  | { readonly kind: 'incomplete'; readonly missing: string }
  | { readonly kind: 'failed'; readonly error: unknown };

/** What a {@link safePlayerClass} player asks of the gateway. */
export interface PlayerGuard {
  /** The node a Lavalink websocket message arrived from, when it was seen arriving. */
  sourceOf(message: object): Node | undefined;
  /** A message about `player`'s guild came from `source`, which no longer serves the guild. */
  staleMessage(player: Player, source: Node): void;
  voiceUpdateProblem(player: Player, problem: VoiceUpdateProblem): void;
}

type PlayerEventMessage =
  | TrackStartEvent
  | TrackEndEvent
  | TrackStuckEvent
  | TrackExceptionEvent
  | WebSocketClosedEvent;

/**
 * The shoukaku `structures.player` Metronome runs with. It fixes two things shoukaku 4.3 gets wrong:
 *
 * - On every VOICE_SERVER_UPDATE shoukaku calls `void player.sendServerUpdate(connection)`, fire and forget. After the
 *   bot left voice that voice state has `channelId: null`, which Lavalink >= 4.2 answers with 400, and any failure
 *   becomes an unhandled rejection. Here an incomplete voice state is never sent, and a failure is reported to the
 *   guard instead of rejecting. Only the first call, which `joinVoiceChannel` awaits, still throws: a failed join
 *   must fail.
 * - shoukaku routes a node's player messages by guild id alone, so after a failover a late message from the old
 *   node (a replayed TrackEnd, a player update of the stale copy) would reach the moved player. Messages from any
 *   node but the player's current one are dropped and reported.
 */
export function safePlayerClass(guard: PlayerGuard): Utils.Constructor<Player> {
  class SafePlayer extends Player {
    #joined = false;

    override async sendServerUpdate(connection: Connection): Promise<void> {
      const state = voiceStateOf(connection);
      if (!this.#joined) {
        if (!state.ok) throw new VoiceStateError(this.guildId, state.missing);
        await this.node.rest.updatePlayer({ guildId: this.guildId, playerOptions: { voice: state.voice } });
        this.#joined = true;
        return;
      }
      if (!state.ok) {
        guard.voiceUpdateProblem(this, { kind: 'incomplete', missing: state.missing });
        return;
      }
      try {
        await this.node.rest.updatePlayer({ guildId: this.guildId, playerOptions: { voice: state.voice } });
      } catch (error) {
        guard.voiceUpdateProblem(this, { kind: 'failed', error });
      }
    }

    override onPlayerUpdate(json: PlayerUpdate): void {
      if (!this.#isStale(json)) super.onPlayerUpdate(json);
    }

    override onPlayerEvent(json: PlayerEventMessage): void {
      if (!this.#isStale(json)) super.onPlayerEvent(json);
    }

    #isStale(message: object): boolean {
      const source = guard.sourceOf(message);
      if (source === undefined || source === this.node) return false;
      guard.staleMessage(this, source);
      return true;
    }
  }
  return SafePlayer as unknown as Utils.Constructor<Player>;
}
