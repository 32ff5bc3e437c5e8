import type { ObservableResult } from '@opentelemetry/api';
import type { Instruments } from './Instruments.js';
import { AttributeNames } from './TelemetryNames.js';

interface JobState {
  lastStart: number;
  lastSuccess: number;
  lastFailure: number;
  running: number;
}

/**
 * When each background job last ran and last succeeded. `@job` writes it; `/livez` reads it through `source(name)`
 * (a job that stopped beating means the process is stuck), and `metronome.job.last_success.age` observes it.
 */
export class JobHeartbeats {
  readonly #jobs = new Map<string, JobState>();
  readonly #now: () => number;

  constructor(instruments: Instruments, now: () => number = Date.now) {
    this.#now = now;
    instruments.jobLastSuccessAge.addCallback((result) => this.#observe(result));
  }

  /** Called by `@job` when a run starts. */
  started(job: string): void {
    const state = this.#state(job);
    state.lastStart = this.#now();
    state.running++;
  }

  /** Called by `@job` when a run ends. */
  finished(job: string, ok: boolean): void {
    const state = this.#state(job);
    state.running = Math.max(0, state.running - 1);
    if (ok) state.lastSuccess = this.#now();
    else state.lastFailure = this.#now();
  }

  /** A heartbeat source for one job: the time of its last successful run (0 before the first). */
  source(job: string): { lastBeat(): number } {
    return { lastBeat: () => this.#jobs.get(job)?.lastSuccess ?? 0 };
  }

  /** A JSON-safe view for `/healthz`. */
  snapshot(): Record<string, { last_success_age_s: number | null; running: number }> {
    const now = this.#now();
    const out: Record<string, { last_success_age_s: number | null; running: number }> = {};
    for (const [name, s] of this.#jobs) {
      out[name] = {
        last_success_age_s: s.lastSuccess ? Math.round((now - s.lastSuccess) / 100) / 10 : null,
        running: s.running,
      };
    }
    return out;
  }

  #state(job: string): JobState {
    let state = this.#jobs.get(job);
    if (!state) {
      state = { lastStart: 0, lastSuccess: 0, lastFailure: 0, running: 0 };
      this.#jobs.set(job, state);
    }
    return state;
  }

  #observe(result: ObservableResult): void {
    const now = this.#now();
    for (const [job, s] of this.#jobs) {
      if (s.lastSuccess) result.observe((now - s.lastSuccess) / 1000, { [AttributeNames.Job]: job });
    }
  }
}
