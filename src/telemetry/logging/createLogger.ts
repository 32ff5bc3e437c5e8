import pino, { type DestinationStream, type Level, type LevelWithSilent, type Logger } from 'pino';
import type { Redactor } from '../Redactor.js';
import { scrubPath } from '../scrubPath.js';

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
      hooks: {
        logMethod(args, method) {
          method.apply(this, scrubLogArguments(args, redactor) as Parameters<typeof method>);
        },
      },
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

/** How deep nested objects and error causes are followed; a value deeper than this is replaced, never logged as is. */
const MaxScrubDepth = 8;
const TooDeep = '[too deep]';

/**
 * The arguments of a log call with secrets scrubbed from every string in them: the configured secrets (the
 * Redactor) and Discord interaction and webhook tokens in URLs, which no configuration knows. Plain objects, arrays
 * and errors are copied, never changed in place; other objects (Buffers, Dates, class instances) pass as they are.
 */
function scrubLogArguments(args: unknown[], redactor: Redactor): unknown[] {
  const scrub = (text: string) => scrubPath(redactor.scrub(text));
  // Almost every line has nothing to scrub: it is logged as given, without copying (this runs for every line).
  if (!args.some((arg) => needsScrub(arg, scrub, 0, new Set()))) return args;
  const scrubber: Scrubber = { scrub, copies: new Map() };
  return args.map((arg) => scrubValue(arg, scrubber, 0));
}

/**
 * Whether `value` holds a string that scrubbing changes, is nested too deep to tell, or is an error with a getter the
 * copy leaves out (read-only: no getter but `message` and `stack` is called).
 */
function needsScrub(value: unknown, scrub: (text: string) => string, depth: number, seen: Set<object>): boolean {
  if (typeof value === 'string') return scrub(value) !== value;
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  const isError = value instanceof Error;
  if (!isError && !Array.isArray(value) && !isPlainObject(value)) return false;
  if (depth > MaxScrubDepth) return true;
  seen.add(value);
  if (!isError) return Object.values(value).some((field) => needsScrub(field, scrub, depth + 1, seen));
  return errorFields(value).some((field) => field.leftOut || needsScrub(field.value, scrub, depth + 1, seen));
}

interface Scrubber {
  readonly scrub: (text: string) => string;
  /** Original -> copy, so that a cycle or a shared value in the original is the same in the copy. */
  readonly copies: Map<object, unknown>;
}

function scrubValue(value: unknown, scrubber: Scrubber, depth: number): unknown {
  if (typeof value === 'string') return scrubber.scrub(value);
  if (typeof value !== 'object' || value === null) return value;
  const known = scrubber.copies.get(value);
  if (known !== undefined) return known;
  if (value instanceof Error) return depth > MaxScrubDepth ? TooDeep : scrubError(value, scrubber, depth);
  if (Array.isArray(value)) {
    if (depth > MaxScrubDepth) return TooDeep;
    const copy: unknown[] = [];
    scrubber.copies.set(value, copy);
    for (const item of value) copy.push(scrubValue(item, scrubber, depth + 1));
    return copy;
  }
  if (!isPlainObject(value)) return value;
  if (depth > MaxScrubDepth) return TooDeep;
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value));
  scrubber.copies.set(value, copy);
  for (const [key, field] of Object.entries(value)) defineData(copy, key, scrubValue(field, scrubber, depth + 1), true);
  return copy;
}

/**
 * A copy of `error` with the same prototype, so pino's serializer still reports its class as `type`, and every own
 * property (`code`, `errorType`, `cause`, `url`, ...) scrubbed, each keeping its enumerability.
 */
function scrubError(error: Error, scrubber: Scrubber, depth: number): Error {
  const copy: Error = Object.create(Object.getPrototypeOf(error));
  scrubber.copies.set(error, copy);
  for (const field of errorFields(error)) {
    if (!field.leftOut) defineData(copy, field.key, scrubValue(field.value, scrubber, depth + 1), field.enumerable);
  }
  return copy;
}

/**
 * An error's own properties as the scrubbed copy takes them: data properties and `message` and `stack` with their
 * values; any other getter without one, as the copy leaves it out (it may throw, or compute from state the copy does
 * not have).
 */
function errorFields(error: Error): ErrorField[] {
  const fields: ErrorField[] = [];
  for (const key of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (descriptor === undefined) continue;
    const enumerable = descriptor.enumerable === true;
    if ('value' in descriptor) fields.push({ key, enumerable, value: descriptor.value, leftOut: false });
    else if (key === 'message' || key === 'stack') fields.push({ key, enumerable, value: error[key], leftOut: false });
    else fields.push({ key, enumerable, value: undefined, leftOut: true });
  }
  return fields;
}

interface ErrorField {
  readonly key: string;
  readonly enumerable: boolean;
  readonly value: unknown;
  /** A getter other than `message` and `stack`: not called, and not in the copy. */
  readonly leftOut: boolean;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// Defined rather than assigned: a `__proto__` key or a prototype's setter must not run.
function defineData(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}
