import type { Logger } from '../telemetry/logging/createLogger.js';

/** A job the scheduler runs every `intervalMs`. */
export interface ScheduledJob {
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<void>;
}

/**
 * Runs background jobs on fixed intervals, never two runs of one job at once (a slow run delays the next instead of
 * piling up), and waits for running jobs on shutdown.
 */
export class Scheduler implements AsyncDisposable {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #stopped = false;

  constructor(private readonly logger: Logger) {}

  /** Starts `job`: first run now, then every interval after the previous run ended. */
  schedule(job: ScheduledJob): void {
    const tick = async () => {
      if (this.#stopped) return;
      const run = job.run().catch((error: unknown) => {
        // The job's own span and metrics already carry the failure; the log line is for humans.
        this.logger.warn({ err: error, job: job.name }, 'job failed');
      });
      this.#running.add(run);
      await run;
      this.#running.delete(run);
      if (this.#stopped) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void tick();
      }, job.intervalMs);
      timer.unref();
      this.#timers.add(timer);
    };
    void tick();
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#running]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
