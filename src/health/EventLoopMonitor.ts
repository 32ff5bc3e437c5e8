import { type ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { formatDuration } from './formatDuration.js';
import type { HealthCheck } from './HealthCheck.js';

/** How an {@link EventLoopMonitor} samples. */
export interface EventLoopMonitorOptions {
  /** Sampling resolution of `monitorEventLoopDelay`, in ms. Default 100. */
  readonly resolutionMs?: number;
  /** Length of one window; a stall stays visible for one to two windows. Default 10 000. */
  readonly windowMs?: number;
}

/** Defaults merged under the given options. */
export const DefaultEventLoopMonitorOptions = {
  // A stall is judged in seconds (`health.event_loop_stall_ms`); each sample wakes an idle process, and at 20 ms
  // that cost 3 ms of CPU per second on the development machine, at 100 ms under 1.
  resolutionMs: 100,
  windowMs: 10_000,
} as const satisfies Required<EventLoopMonitorOptions>;

/**
 * Tracks the worst event-loop delay over a rolling window. A probe cannot run while the loop is blocked, so the
 * liveness check has to judge the recent past: the maximum over the current and the previous window, which keeps a
 * stall visible for at least one full window after it ended however the window boundary falls.
 */
export class EventLoopMonitor implements Disposable {
  readonly #options: Required<EventLoopMonitorOptions>;
  #histogram: ELDHistogram | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #previousMaxMs = 0;

  constructor(options: EventLoopMonitorOptions = {}) {
    this.#options = {
      resolutionMs: options.resolutionMs ?? DefaultEventLoopMonitorOptions.resolutionMs,
      windowMs: options.windowMs ?? DefaultEventLoopMonitorOptions.windowMs,
    };
  }

  /** Starts sampling; calling it while running does nothing. */
  start(): void {
    if (this.#histogram) return;
    const histogram = monitorEventLoopDelay({ resolution: this.#options.resolutionMs });
    histogram.enable();
    this.#histogram = histogram;
    this.#previousMaxMs = 0;
    this.#timer = setInterval(() => this.#roll(), this.#options.windowMs);
    // Monitoring must never be the reason the process stays up.
    this.#timer.unref();
  }

  /** Stops sampling and forgets what was seen. */
  stop(): void {
    clearInterval(this.#timer);
    this.#histogram?.disable();
    this.#histogram = undefined;
    this.#timer = undefined;
    this.#previousMaxMs = 0;
  }

  /** Whether `start()` has been called and `stop()` has not. */
  get running(): boolean {
    return this.#histogram !== undefined;
  }

  /** Worst event-loop delay seen in the current and previous window, in ms (0 when not running). */
  get maxDelayMs(): number {
    const currentMs = this.#histogram ? nanosToMs(this.#histogram.max) : 0;
    return Math.max(currentMs, this.#previousMaxMs);
  }

  /**
   * A liveness check named `eventloop` that fails while {@link maxDelayMs} exceeds `stallMs`. It passes when the
   * monitor is not running: a wiring mistake should not turn into a restart loop.
   */
  asCheck(stallMs: number): HealthCheck {
    return {
      name: 'eventloop',
      check: () => {
        if (!this.running) return { ok: true, detail: 'not monitored' };
        const delayMs = this.maxDelayMs;
        if (delayMs > stallMs) {
          return {
            ok: false,
            reason: `event loop stalled ${formatDuration(delayMs)} (limit ${formatDuration(stallMs)})`,
          };
        }
        return { ok: true, detail: `max delay ${formatDuration(delayMs)}` };
      },
    };
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  #roll(): void {
    if (!this.#histogram) return;
    this.#previousMaxMs = nanosToMs(this.#histogram.max);
    this.#histogram.reset();
  }
}

function nanosToMs(nanos: number): number {
  return nanos / 1e6;
}
