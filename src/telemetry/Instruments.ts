import {
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  type ObservableGauge,
  type UpDownCounter,
} from '@opentelemetry/api';
import { InstrumentCatalogue, type InstrumentSpec } from './InstrumentCatalogue.js';
import { InstrumentationScope, InstrumentNames } from './TelemetryNames.js';

/**
 * Second-based histogram buckets. The SDK default is millisecond-shaped and useless for a unit of `s`.
 * Passed as advice so no view is needed and library instruments keep their own.
 */
export const DurationBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const specs = new Map<string, InstrumentSpec>(InstrumentCatalogue.map((s) => [s.name, s]));

/**
 * The instruments Metronome feeds. Created once per MeterProvider from the catalogue, so the names, units and
 * descriptions can only be the contract's.
 */
export class Instruments {
  readonly commandDuration: Histogram;
  readonly restRequests: Counter;
  readonly restDuration: Histogram;
  readonly restRateLimits: Counter;
  readonly gatewayEvents: Counter;
  readonly shardLatency: ObservableGauge;
  readonly shardStatus: ObservableGauge;
  readonly shardTransitions: Counter;
  readonly guilds: ObservableGauge;
  readonly jobDuration: Histogram;
  readonly jobActive: UpDownCounter;
  readonly jobLastSuccessAge: ObservableGauge;
  readonly retryAttempts: Counter;
  readonly automationActions: Counter;
  readonly telemetryDropped: Counter;

  constructor(readonly meter: Meter) {
    const N = InstrumentNames;
    this.commandDuration = this.histogram(N.CommandDuration);
    this.restRequests = this.counter(N.DiscordRestRequests);
    this.restDuration = this.histogram(N.DiscordRestDuration);
    this.restRateLimits = this.counter(N.DiscordRestRateLimits);
    this.gatewayEvents = this.counter(N.DiscordGatewayEvents);
    this.shardLatency = this.gauge(N.DiscordShardLatency);
    this.shardStatus = this.gauge(N.DiscordShardStatus);
    this.shardTransitions = this.counter(N.DiscordShardTransitions);
    this.guilds = this.gauge(N.DiscordGuilds);
    this.jobDuration = this.histogram(N.JobDuration);
    this.jobActive = this.meter.createUpDownCounter(N.JobActive, describe(N.JobActive));
    this.jobLastSuccessAge = this.gauge(N.JobLastSuccessAge);
    this.retryAttempts = this.counter(N.RetryAttempts);
    this.automationActions = this.counter(N.AutomationActions);
    this.telemetryDropped = this.counter(N.TelemetryDropped);
  }

  /** A histogram of the catalogue with second-based buckets. */
  histogram(name: string): Histogram {
    return this.meter.createHistogram(name, {
      ...describe(name),
      advice: { explicitBucketBoundaries: [...DurationBuckets] },
    });
  }

  /** A counter of the catalogue. */
  counter(name: string): Counter {
    return this.meter.createCounter(name, describe(name));
  }

  /** An observable gauge of the catalogue. */
  gauge(name: string): ObservableGauge {
    return this.meter.createObservableGauge(name, describe(name));
  }
}

function describe(name: string): { unit: string; description: string } {
  const spec = specs.get(name);
  if (!spec) throw new Error(`${name} is not in the instrument catalogue`);
  return { unit: spec.unit, description: spec.description };
}

let cached: { provider: MeterProvider; instruments: Instruments } | undefined;

/**
 * The instruments on the global MeterProvider. Decorators use this because they cannot be handed dependencies; the
 * cache follows the provider so instruments made before the SDK started (no-ops) are not kept afterwards.
 */
export function globalInstruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) {
    cached = { provider, instruments: new Instruments(provider.getMeter(InstrumentationScope)) };
  }
  return cached.instruments;
}
