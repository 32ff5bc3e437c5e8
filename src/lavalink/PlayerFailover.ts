import { type Span, SpanKind } from '@opentelemetry/api';
import type { Node } from 'shoukaku';
import { type FailoverOutcome, type LavalinkInstruments, NoFailoverTarget } from '../telemetry/LavalinkInstruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { endSpan, tracer } from '../telemetry/spans.js';
import { AttributeNames, EventNames, SpanNames } from '../telemetry/TelemetryNames.js';
import { LavalinkUnavailableError } from './LavalinkUnavailableError.js';
import type { FailoverTrigger } from './NodeMonitor.js';
import { pickNode } from './pickNode.js';
import type { ShoukakuGuildPlayer } from './ShoukakuGuildPlayer.js';

/** One player's failover, as the gateway's `failover` event reports it. */
export interface FailoverEvent {
  readonly guildId: string;
  readonly from: string;
  /** The node it moved to, or the last one tried; null when no node was usable. */
  readonly to: string | null;
  readonly outcome: FailoverOutcome;
  readonly trigger: FailoverTrigger;
  /** Where the track resumed; null when the move failed or nothing was playing. */
  readonly positionMs: number | null;
}

export interface PlayerFailoverOptions {
  /** The nodes a player may move to now. */
  readonly usableNodes: () => Node[];
  /** The guild's voice region, to prefer a node there. */
  readonly regionOf: (guildId: string) => string | null;
  readonly instruments: LavalinkInstruments;
  readonly logger: Logger;
}

/**
 * Moves players off a failed node. Each move is a root span `lavalink failover` (there is no request that caused
 * it), whose child is the Lavalink PATCH that recreated the player (undici), and is counted in
 * `metronome.lavalink.node.failovers` and as the `node_failover` automation action. A player tries every usable node,
 * best first, until one takes it.
 */
export class PlayerFailover {
  readonly #options: PlayerFailoverOptions;

  constructor(options: PlayerFailoverOptions) {
    this.#options = options;
  }

  /** Moves every player in `players` off `from`, concurrently; resolves with one result per player. */
  moveAll(
    players: readonly ShoukakuGuildPlayer[],
    from: Node,
    trigger: FailoverTrigger,
    lostAt: number,
  ): Promise<FailoverEvent[]> {
    // Players sent to a node since its last stats count towards its load, so one failover spreads over the nodes.
    const pending = new Map<Node, number>();
    return Promise.all(players.map((player) => this.#move(player, from, trigger, lostAt, pending)));
  }

  #move(
    player: ShoukakuGuildPlayer,
    from: Node,
    trigger: FailoverTrigger,
    lostAt: number,
    pending: Map<Node, number>,
  ): Promise<FailoverEvent> {
    const A = AttributeNames;
    const attributes = {
      [A.MetronomeFailoverFrom]: from.name,
      [A.MetronomeFailoverTrigger]: trigger,
      [A.DiscordGuildId]: player.guildId,
    };
    return tracer().startActiveSpan(
      SpanNames.LavalinkFailover,
      { root: true, kind: SpanKind.INTERNAL, attributes },
      async (span) => {
        const tried = new Set<Node>();
        let lastError: unknown;
        let event: FailoverEvent | undefined;
        for (;;) {
          const candidates = this.#options.usableNodes().filter((node) => !tried.has(node));
          const target = pickNode(candidates, { region: this.#options.regionOf(player.guildId), pending });
          if (!target) break;
          tried.add(target);
          pending.set(target, (pending.get(target) ?? 0) + 1);
          try {
            const positionMs = await player.moveTo(target, lostAt);
            event = {
              guildId: player.guildId,
              from: from.name,
              to: target.name,
              outcome: 'success',
              trigger,
              positionMs,
            };
            break;
          } catch (error) {
            lastError = error;
            pending.set(target, (pending.get(target) ?? 1) - 1);
            span.addEvent(EventNames.FailoverMoveFailed, {
              [A.MetronomeFailoverTo]: target.name,
              [A.ErrorType]: errorName(error),
            });
            this.#options.logger.warn(
              { err: error, guild_id: player.guildId, from: from.name, to: target.name },
              'could not move a player to this lavalink node',
            );
          }
        }
        event ??= {
          guildId: player.guildId,
          from: from.name,
          to: [...tried].at(-1)?.name ?? null,
          outcome: tried.size === 0 ? 'no_node' : 'failed',
          trigger,
          positionMs: null,
        };
        this.#finish(span, event, lastError);
        return event;
      },
    );
  }

  #finish(span: Span, event: FailoverEvent, error: unknown): void {
    const A = AttributeNames;
    span.setAttributes({
      [A.MetronomeFailoverTo]: event.to ?? NoFailoverTarget,
      [A.MetronomeOutcome]: event.outcome,
      ...(event.positionMs === null ? {} : { [A.MetronomeFailoverPosition]: event.positionMs }),
    });
    this.#options.instruments.countFailover(event.from, event.to ?? NoFailoverTarget, event.outcome);
    const log = { guild_id: event.guildId, from: event.from, to: event.to, trigger: event.trigger };
    if (event.outcome === 'success') {
      this.#options.logger.info({ ...log, position_ms: event.positionMs }, 'moved a player to another lavalink node');
    } else {
      this.#options.logger.warn({ ...log, outcome: event.outcome }, 'no lavalink node could take the player');
    }
    if (event.outcome === 'success') endSpan(span);
    else endSpan(span, error ?? new LavalinkUnavailableError('no_node', event.guildId));
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
