import type { CheckOutcome, CheckResult, HealthCheck } from './HealthCheck.js';
import { sanitizeText } from './sanitizeText.js';

/** A task's result once run under a timeout: its value, or a printable reason it produced none. */
export type Settled<T> = { ok: true; value: T } | { ok: false; reason: string };

/** How {@link CheckRunner} runs tasks. */
export interface CheckRunnerOptions {
  /** Time a task may take before it counts as failed with reason `timed out`. */
  readonly timeoutMs: number;
  /** Applied to every reason and detail before it can reach an answer. */
  readonly redact: (text: string) => string;
}

/**
 * Runs checks (and other probe tasks) with a timeout, turning hangs, throws and malformed results into failures with
 * a sanitised, redacted reason. Concurrent requests for the same task share one run, so a burst of probes against a
 * hanging check costs one pending promise, not one per request.
 */
export class CheckRunner {
  readonly #options: CheckRunnerOptions;
  readonly #inFlight = new Map<object, Promise<Settled<unknown>>>();
  readonly #controllers = new Set<AbortController>();

  constructor(options: CheckRunnerOptions) {
    this.#options = options;
  }

  /** Runs every check concurrently; outcomes come back in the order of `checks`. */
  runAll(checks: readonly HealthCheck[]): Promise<CheckOutcome[]> {
    return Promise.all(checks.map((check) => this.run(check)));
  }

  /** Runs one check; never rejects. */
  async run(check: HealthCheck): Promise<CheckOutcome> {
    const settled = await this.settle(check, (signal) => check.check(signal));
    if (!settled.ok) return { name: check.name, ok: false, reason: settled.reason };
    return { name: check.name, ...this.#normalise(settled.value) };
  }

  /**
   * Runs `task` under the timeout, sharing a run already in flight for the same `key`; never rejects.
   */
  settle<T>(key: object, task: (signal: AbortSignal) => Promise<T> | T): Promise<Settled<T>> {
    const running = this.#inFlight.get(key) as Promise<Settled<T>> | undefined;
    if (running) return running;
    const started = this.#start(task).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }

  /** Aborts every task still running (they settle as failed); used when the server closes. */
  abortAll(): void {
    for (const controller of this.#controllers) controller.abort(new Error('health server closed'));
  }

  #start<T>(task: (signal: AbortSignal) => Promise<T> | T): Promise<Settled<T>> {
    const controller = new AbortController();
    this.#controllers.add(controller);
    const { promise: aborted, resolve } = Promise.withResolvers<Settled<T>>();
    const onAbort = (): void => resolve({ ok: false, reason: this.#reasonFor(controller.signal.reason) });
    controller.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new Error('timed out')), this.#options.timeoutMs);
    // A check that hangs must not keep the process alive after everything else has shut down.
    timer.unref?.();
    const ran = (async (): Promise<Settled<T>> => {
      try {
        return { ok: true, value: await task(controller.signal) };
      } catch (error) {
        return { ok: false, reason: this.#reasonFor(error) };
      }
    })();
    return Promise.race([ran, aborted]).finally(() => {
      clearTimeout(timer);
      controller.signal.removeEventListener('abort', onAbort);
      this.#controllers.delete(controller);
    });
  }

  #normalise(result: unknown): { ok: true; detail?: string } | { ok: false; reason: string } {
    if (typeof result !== 'object' || result === null || !('ok' in result)) {
      return { ok: false, reason: 'check returned no result' };
    }
    const candidate = result as Partial<CheckResult> & { detail?: unknown; reason?: unknown };
    if (candidate.ok === true) {
      return typeof candidate.detail === 'string' && candidate.detail !== ''
        ? { ok: true, detail: this.#clean(candidate.detail) }
        : { ok: true };
    }
    const reason = typeof candidate.reason === 'string' ? this.#clean(candidate.reason) : '';
    return { ok: false, reason: reason === '' ? 'failed without a reason' : reason };
  }

  #reasonFor(error: unknown): string {
    return this.#clean(messageOf(error)) || 'failed without a reason';
  }

  /** Redacts before truncating, so a cut can never leave half a secret that the redactor no longer recognises. */
  #clean(text: string): string {
    let redacted: string;
    try {
      redacted = this.#options.redact(text);
    } catch {
      // Printing the text unredacted is the one thing that must not happen; a broken redactor hides it instead.
      return '[redaction failed]';
    }
    return sanitizeText(redacted);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  try {
    return String(error);
  } catch {
    // Objects without a usable toString (e.g. null-prototype) still deserve a reason.
    return 'unprintable error';
  }
}
