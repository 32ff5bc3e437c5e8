import { type Attributes, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { AttributeNames, InstrumentationScope } from './TelemetryNames.js';

/** Metronome's tracer on the global TracerProvider (a proxy, so it is safe to take before the SDK starts). */
export function tracer(): Tracer {
  return trace.getTracer(InstrumentationScope);
}

/** The low-cardinality class of an error: its `name` unless that is the generic `Error`. */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (error.name !== 'Error') return error.name;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    return 'Error';
  }
  return typeof error;
}

/**
 * Ends a span, recording the error if there was one. The single way spans end in Metronome, as in the contrib
 * instrumentations, so every path sets status and `error.type` the same way.
 */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setAttribute(AttributeNames.ErrorType, errorType(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/**
 * Runs `fn` inside an active span named `name`: the span ends when `fn` settles, with the error recorded if it threw
 * or rejected. Sync functions stay sync.
 */
export function withSpan<R>(name: string, attributes: Attributes | undefined, fn: (span: Span) => R): R {
  return tracer().startActiveSpan(name, { attributes }, (span) => {
    let result: R;
    try {
      result = fn(span);
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          endSpan(span);
          return value;
        },
        (error: unknown) => {
          endSpan(span, error);
          throw error;
        },
      ) as R;
    }
    endSpan(span);
    return result;
  });
}
