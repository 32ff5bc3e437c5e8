import type { BatchObservableCallback, Counter, ObservableGauge } from '@opentelemetry/api';
import type { Instruments } from './Instruments.js';
import { AttributeNames, InstrumentNames } from './TelemetryNames.js';

/** The `outcome` of `metronome.lavalink.node.failovers` (and of the `node_failover` automation action). */
export type FailoverOutcome = 'success' | 'failed' | 'no_node';

/** The `to` attribute of a failover that found no node to move to. */
export const NoFailoverTarget = 'none';

/** The last `stats` a connected node sent, in the units of the instruments. */
export interface LavalinkNodeStats {
  readonly players: number;
  readonly playingPlayers: number;
  /** 0-1. */
  readonly systemLoad: number;
  /** 0-1. */
  readonly lavalinkLoad: number;
  /** Bytes. */
  readonly memoryUsed: number;
  /** Frames per minute; all zero when the node reports none (it has no players). */
  readonly frames: { readonly sent: number; readonly nulled: number; readonly deficit: number };
}

/** One configured node at one collection. */
export interface LavalinkNodeReading {
  readonly name: string;
  readonly up: boolean;
  /** Only for a node that is up: the figures of a node that stopped reporting are not carried on. */
  readonly stats: LavalinkNodeStats | null;
}

/**
 * The Lavalink node instruments of the telemetry contract, made from the catalogue through {@link Instruments} so
 * names, units and descriptions are the contract's.
 */
export class LavalinkInstruments {
  readonly nodeUp: ObservableGauge;
  readonly nodePlayers: ObservableGauge;
  readonly nodeCpuLoad: ObservableGauge;
  readonly nodeMemoryUsed: ObservableGauge;
  readonly nodeFrames: ObservableGauge;
  readonly failovers: Counter;
  /** Shared with the rest of the bot; failovers are counted there too as `node_failover`. */
  readonly automationActions: Counter;

  constructor(private readonly instruments: Instruments) {
    const N = InstrumentNames;
    this.nodeUp = instruments.gauge(N.LavalinkNodeUp);
    this.nodePlayers = instruments.gauge(N.LavalinkNodePlayers);
    this.nodeCpuLoad = instruments.gauge(N.LavalinkNodeCpuLoad);
    this.nodeMemoryUsed = instruments.gauge(N.LavalinkNodeMemoryUsed);
    this.nodeFrames = instruments.gauge(N.LavalinkNodeFrames);
    this.failovers = instruments.counter(N.LavalinkNodeFailovers);
    this.automationActions = instruments.automationActions;
  }

  /** Counts one player moved (or not) off node `from`. */
  countFailover(from: string, to: string, outcome: FailoverOutcome): void {
    const A = AttributeNames;
    this.failovers.add(1, { [A.From]: from, [A.To]: to, [A.Outcome]: outcome });
    this.automationActions.add(1, { [A.Action]: 'node_failover', [A.Outcome]: outcome });
  }

  /**
   * Feeds the node gauges from `source`, read once per collection. Returns the function that stops observing.
   */
  observe(source: () => readonly LavalinkNodeReading[]): () => void {
    const A = AttributeNames;
    const callback: BatchObservableCallback = (result) => {
      for (const { name, up, stats } of source()) {
        const node = { [A.LavalinkNode]: name };
        result.observe(this.nodeUp, up ? 1 : 0, node);
        if (!up || !stats) continue;
        result.observe(this.nodePlayers, stats.players, { ...node, [A.State]: 'total' });
        result.observe(this.nodePlayers, stats.playingPlayers, { ...node, [A.State]: 'playing' });
        result.observe(this.nodeCpuLoad, stats.systemLoad, { ...node, [A.Scope]: 'system' });
        result.observe(this.nodeCpuLoad, stats.lavalinkLoad, { ...node, [A.Scope]: 'lavalink' });
        result.observe(this.nodeMemoryUsed, stats.memoryUsed, node);
        for (const kind of ['sent', 'nulled', 'deficit'] as const) {
          result.observe(this.nodeFrames, stats.frames[kind], { ...node, [A.Kind]: kind });
        }
      }
    };
    const observables = [this.nodeUp, this.nodePlayers, this.nodeCpuLoad, this.nodeMemoryUsed, this.nodeFrames];
    this.instruments.meter.addBatchObservableCallback(callback, observables);
    return () => this.instruments.meter.removeBatchObservableCallback(callback, observables);
  }
}
