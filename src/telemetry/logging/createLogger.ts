import pino, { type DestinationStream, type Level, type LevelWithSilent, type Logger } from 'pino';
import type { Redactor } from '../Redactor.js';

export type { Logger } from 'pino';

/** Logging settings, mapped from the `logging.*` config keys. */
export interface LoggingOptions {
  readonly level: LevelWithSilent;
  /** Per-logger levels, by child logger name (`lavalink: debug`). */
  readonly levels: Readonly<Record<string, LevelWithSilent>>;
  /** Write nothing locally; records leave only through OTLP (instrumentation-pino). */
  readonly otlpOnly: boolean;
  readonly file?: { readonly path: string; readonly maxSize: string; readonly maxFiles: number } | null;
  /** Where local lines go (stdout by default); tests pass their own stream. */
  readonly destination?: DestinationStream;
}

/** The root logger and the factory of named child loggers. */
export interface Logging {
  readonly root: Logger;
  /** A child logger named `name` (the `logger` field, and OTLP attribute) at its configured level. */
  child(name: string): Logger;
}

/** Paths pino censors before serialising, for structured fields that may carry credentials. */
const RedactPaths = [
  'token',
  'password',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  '*.token',
  '*.password',
  '*.authorization',
  'databaseUrl',
  'connectionString',
];

/**
 * Creates the pino root logger. OTLP export and `trace_id`/`span_id` come from instrumentation-pino, which patches
 * loggers created after the SDK started: call this after `startTelemetry`.
 */
export function createLogging(options: LoggingOptions, redactor: Redactor): Logging {
  const streams: pino.StreamEntry[] = [];
  if (!options.otlpOnly) {
    streams.push({ level: 'trace', stream: options.destination ?? pino.destination({ dest: 1, sync: false }) });
    if (options.file) {
      streams.push({
        level: 'trace',
        stream: pino.transport({
          target: 'pino-roll',
          options: {
            file: options.file.path,
            size: options.file.maxSize,
            limit: { count: options.file.maxFiles },
            mkdir: true,
          },
        }),
      });
    }
  }
  // instrumentation-pino adds its OTLP stream beside ours; with nothing local, ours is a sink (a plain object: a
  // stream.Writable would run its buffering machinery for every line only to throw the line away).
  const destination: DestinationStream = streams.length > 0 ? pino.multistream(streams) : { write: discard };
  const minLevel = lowestLevel([options.level, ...Object.values(options.levels)]);
  const root = pino(
    {
      level: minLevel,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: RedactPaths, censor: '[redacted]' },
      hooks: redactor.active
        ? {
            logMethod(args, method) {
              method.apply(
                this,
                args.map((a) => (typeof a === 'string' ? redactor.scrub(a) : scrubObject(a, redactor))) as Parameters<
                  typeof method
                >,
              );
            },
          }
        : {},
    },
    destination,
  );
  const rootLogger = root.child({ logger: 'metronome' }, { level: options.level });
  return {
    root: rootLogger,
    child: (name) => root.child({ logger: name }, { level: options.levels[name] ?? options.level }),
  };
}

function discard(): void {
  // OTLP-only: the line leaves through instrumentation-pino's stream, not this one.
}

const Order: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function lowestLevel(levels: readonly LevelWithSilent[]): Level | 'silent' {
  let lowest: LevelWithSilent = 'silent';
  for (const level of levels) if (Order.indexOf(level) < Order.indexOf(lowest)) lowest = level;
  return lowest;
}

/** Scrubs secret values from the string fields of a log object (one level deep, plus `err.message`). */
function scrubObject(value: unknown, redactor: Redactor): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const scrubbed = new Error(redactor.scrub(value.message));
    scrubbed.name = value.name;
    scrubbed.stack = value.stack ? redactor.scrub(value.stack) : undefined;
    return scrubbed;
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      typeof field === 'string' ? redactor.scrub(field) : field instanceof Error ? scrubObject(field, redactor) : field;
  }
  return out;
}
