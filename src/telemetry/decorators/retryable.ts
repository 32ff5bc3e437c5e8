import { trace } from '@opentelemetry/api';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { globalInstruments } from '../Instruments.js';
import { errorType } from '../spans.js';
import { AttributeNames, EventNames } from '../TelemetryNames.js';

/** How a `@retryable` method retries. */
export interface RetryPolicyOptions {
  /** Low-cardinality name of the operation (the `operation` attribute of `metronome.retry.attempts`). */
  readonly operation: string;
  /** Retries after the first attempt (so at most `maxRetries + 1` calls). */
  readonly maxRetries: number;
  /** First backoff delay; later ones grow exponentially with jitter. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Which errors are transient. Anything else fails at once, unretried. Default: every error. */
  readonly retryOn?: (error: Error) => boolean;
}

type AsyncMethod<This, Args extends unknown[], R> = (this: This, ...args: Args) => Promise<R>;

/**
 * Retries an async method with exponential backoff (cockatiel). Each failed attempt that will be retried adds a
 * `retry` event (attempt, delay, error type) to the active span; the span gets `retry.count`; every attempt is
 * counted in `metronome.retry.attempts` as `retried`, and the call's end as `recovered` or `exhausted`.
 * Stack it under `@traced` to give the retried operation a span of its own.
 */
export function retryable(options: RetryPolicyOptions) {
  const shouldRetry = options.retryOn ?? (() => true);
  return <This, Args extends unknown[], R>(
    target: AsyncMethod<This, Args, R>,
    _context: ClassMethodDecoratorContext<This, AsyncMethod<This, Args, R>>,
  ): AsyncMethod<This, Args, R> =>
    async function (this: This, ...args: Args): Promise<R> {
      // A policy per call: cockatiel's onRetry is per policy, and concurrent calls must not see each other's retries.
      const policy = retry(
        handleWhen((error) => error instanceof Error && shouldRetry(error)),
        {
          maxAttempts: options.maxRetries,
          backoff: new ExponentialBackoff({
            initialDelay: options.initialDelayMs ?? 100,
            maxDelay: options.maxDelayMs ?? 5_000,
          }),
        },
      );
      const span = trace.getActiveSpan();
      const counter = globalInstruments().retryAttempts;
      let retries = 0;
      const listener = policy.onRetry((event) => {
        retries++;
        const failure = 'error' in event ? event.error : undefined;
        span?.addEvent(EventNames.Retry, {
          [AttributeNames.RetryAttempt]: event.attempt,
          [AttributeNames.RetryDelay]: Math.round(event.delay),
          [AttributeNames.ErrorType]: errorType(failure),
        });
        counter.add(1, { [AttributeNames.Operation]: options.operation, [AttributeNames.Outcome]: 'retried' });
      });
      try {
        const result = await policy.execute(() => target.apply(this, args));
        if (retries > 0) {
          counter.add(1, { [AttributeNames.Operation]: options.operation, [AttributeNames.Outcome]: 'recovered' });
        }
        return result;
      } catch (error) {
        if (retries > 0 || (error instanceof Error && shouldRetry(error))) {
          counter.add(1, { [AttributeNames.Operation]: options.operation, [AttributeNames.Outcome]: 'exhausted' });
        }
        throw error;
      } finally {
        listener.dispose();
        span?.setAttribute(AttributeNames.RetryCount, retries);
      }
    };
}
