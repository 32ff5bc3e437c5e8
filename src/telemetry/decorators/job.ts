import { globalInstruments } from '../Instruments.js';
import type { JobHeartbeats } from '../JobHeartbeats.js';
import { withSpan } from '../spans.js';
import { AttributeNames, SpanNames } from '../TelemetryNames.js';

/** A class whose methods run as jobs: it holds the heartbeat registry the health server watches. */
export interface JobHost {
  readonly heartbeats: JobHeartbeats;
}

type JobMethod<This, Args extends unknown[], R> = (this: This, ...args: Args) => Promise<R>;

/**
 * Runs an async method as the background job `name`: span `job <name>`, `metronome.job.duration` (job, outcome),
 * `metronome.job.active`, and a heartbeat on success that `/livez` and `metronome.job.last_success.age` read.
 */
export function job(name: string) {
  return <This extends JobHost, Args extends unknown[], R>(
    target: JobMethod<This, Args, R>,
    _context: ClassMethodDecoratorContext<This, JobMethod<This, Args, R>>,
  ): JobMethod<This, Args, R> => {
    const attributes = { [AttributeNames.Job]: name };
    return function (this: This, ...args: Args): Promise<R> {
      const instruments = globalInstruments();
      const heartbeats = this.heartbeats;
      const started = performance.now();
      heartbeats.started(name);
      instruments.jobActive.add(1, attributes);
      const settle = (outcome: 'success' | 'error') => {
        instruments.jobActive.add(-1, attributes);
        instruments.jobDuration.record((performance.now() - started) / 1000, { ...attributes, outcome });
        heartbeats.finished(name, outcome === 'success');
      };
      return withSpan(SpanNames.job(name), { [AttributeNames.MetronomeJob]: name }, async () => {
        try {
          const result = await target.apply(this, args);
          settle('success');
          return result;
        } catch (error) {
          settle('error');
          throw error;
        }
      });
    };
  };
}
