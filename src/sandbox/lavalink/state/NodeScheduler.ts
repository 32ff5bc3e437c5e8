import type { NodeState } from './NodeState.js';

/** What the scheduler is built from. */
export interface NodeSchedulerInit {
  readonly state: NodeState;
  readonly statsIntervalMs: number;
  readonly playerUpdateIntervalMs: number;
  /**
   * True with the default clock: the next time event (a track end, a resume timeout) gets a real timer. An injected
   * clock is moved by the test, which then calls `SandboxLavalink.tick()`.
   */
  readonly autoAdvance: boolean;
}

/** The node's timers: `stats` and `playerUpdate` on their intervals, and the next time event. */
export class NodeScheduler {
  readonly #intervals: NodeJS.Timeout[] = [];
  #dueTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  public constructor(private readonly init: NodeSchedulerInit) {}

  public start(): void {
    const { state, statsIntervalMs, playerUpdateIntervalMs } = this.init;
    this.#intervals.push(
      setInterval(() => {
        state.settle();
        for (const session of state.sessions.values()) {
          if (!session.paused) session.send({ op: 'stats', ...state.stats(session) });
        }
        this.arm();
      }, statsIntervalMs),
      // Like Lavalink, only players with a track get updates.
      setInterval(() => {
        state.settle();
        for (const session of state.sessions.values()) {
          if (session.paused) continue;
          for (const player of session.players.values()) if (player.hasTrack) player.sendUpdate();
        }
        this.arm();
      }, playerUpdateIntervalMs),
    );
  }

  /** Runs what is due now, then schedules the next time event. */
  public tick(): void {
    this.init.state.settle();
    this.arm();
  }

  /** (Re)schedules the timer of the next time event; call it after anything that changes playback. */
  public arm(): void {
    clearTimeout(this.#dueTimer);
    this.#dueTimer = undefined;
    if (!this.init.autoAdvance || this.#stopped) return;
    const due = this.init.state.nextDueAt();
    if (due === undefined) return;
    const delay = Math.min(Math.max(0, Math.ceil(due - this.init.state.now())), 2 ** 31 - 1);
    this.#dueTimer = setTimeout(() => this.tick(), delay);
  }

  public stop(): void {
    this.#stopped = true;
    for (const interval of this.#intervals) clearInterval(interval);
    clearTimeout(this.#dueTimer);
  }
}
