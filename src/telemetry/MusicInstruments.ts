import type { BatchObservableCallback, Counter, Histogram, ObservableGauge } from '@opentelemetry/api';
import type { Instruments } from './Instruments.js';
import { AttributeNames, InstrumentNames } from './TelemetryNames.js';

/** The `state` attribute of `metronome.player.count`. */
export type PlayerState = 'playing' | 'paused' | 'idle';

/** Every state, so a state that emptied is observed as 0 rather than left at its last value. */
const PlayerStates: readonly PlayerState[] = ['playing', 'paused', 'idle'];

/** What the music gauges report at one collection. */
export interface MusicGaugeReading {
  /** One entry per player, with the node serving it. */
  readonly players: readonly { readonly node: string; readonly state: PlayerState }[];
  /** Tracks waiting in all queues (playing tracks not counted). */
  readonly queued: number;
  /** Players connected to a voice channel. */
  readonly connections: number;
}

/**
 * The instruments of playback (track lifecycle, loads, voice, players and queues), made from the catalogue through
 * {@link Instruments} so names, units, descriptions and buckets are the contract's.
 */
export class MusicInstruments {
  readonly trackLoadDuration: Histogram;
  readonly trackEvents: Counter;
  readonly playbackTime: Counter;
  readonly voiceConnectionAttempts: Counter;
  /** Shared with the rest of the bot (`command_throttled` is counted there). */
  readonly automationActions: Counter;
  readonly playerCount: ObservableGauge;
  readonly queueTracks: ObservableGauge;
  readonly voiceConnections: ObservableGauge;
  // Nodes that ever had a player keep being observed (at 0), so a drained node does not keep its last count.
  readonly #nodes = new Set<string>();

  constructor(private readonly instruments: Instruments) {
    const N = InstrumentNames;
    this.trackLoadDuration = instruments.histogram(N.TrackLoadDuration);
    this.trackEvents = instruments.counter(N.TrackEvents);
    this.playbackTime = instruments.counter(N.PlaybackTime);
    this.voiceConnectionAttempts = instruments.counter(N.VoiceConnectionAttempts);
    this.automationActions = instruments.automationActions;
    this.playerCount = instruments.gauge(N.PlayerCount);
    this.queueTracks = instruments.gauge(N.QueueTracks);
    this.voiceConnections = instruments.gauge(N.VoiceConnections);
  }

  /**
   * Feeds the three gauges from `source`, read once per collection. Returns the function that stops observing, for
   * a service that shuts down while the meter provider lives on (tests, restarts of the music layer).
   */
  observe(source: () => MusicGaugeReading): () => void {
    const callback: BatchObservableCallback = (result) => {
      const reading = source();
      for (const { node } of reading.players) this.#nodes.add(node);
      const counts = new Map<string, Map<PlayerState, number>>();
      for (const node of this.#nodes) counts.set(node, new Map(PlayerStates.map((state) => [state, 0])));
      for (const { node, state } of reading.players) {
        const byState = counts.get(node);
        byState?.set(state, (byState.get(state) ?? 0) + 1);
      }
      for (const [node, byState] of counts) {
        for (const [state, count] of byState) {
          result.observe(this.playerCount, count, {
            [AttributeNames.LavalinkNode]: node,
            [AttributeNames.State]: state,
          });
        }
      }
      result.observe(this.queueTracks, reading.queued);
      result.observe(this.voiceConnections, reading.connections);
    };
    const observables = [this.playerCount, this.queueTracks, this.voiceConnections];
    this.instruments.meter.addBatchObservableCallback(callback, observables);
    return () => this.instruments.meter.removeBatchObservableCallback(callback, observables);
  }
}
