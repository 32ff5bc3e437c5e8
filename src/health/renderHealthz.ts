import type { Settled } from './CheckRunner.js';
import type { CheckOutcome } from './HealthCheck.js';

/** The fixed keys of the `/healthz` document; details cannot overwrite them. */
const ReservedKeys = new Set(['status', 'uptime_s', 'checks', 'details_error']);

/** Everything `/healthz` reports. */
export interface HealthzInput {
  readonly ready: boolean;
  readonly uptimeSeconds: number;
  readonly outcomes: readonly CheckOutcome[];
  /** Result of the injected `details()`, absent when none was given. */
  readonly details?: Settled<Record<string, unknown>>;
  readonly redact: (text: string) => string;
}

/**
 * Builds the `/healthz` JSON: `{ status, uptime_s, checks: { name: { ok, detail? | reason } }, ...details }`.
 * Every string inside the details passes through `redact`, because details (connection info, exporter state) are the
 * likeliest place for a URL with credentials to slip through.
 */
export function renderHealthz(input: HealthzInput): string {
  const checks: Record<string, { ok: boolean; detail?: string; reason?: string }> = {};
  for (const outcome of input.outcomes) {
    checks[outcome.name] = outcome.ok
      ? { ok: true, ...(outcome.detail === undefined ? {} : { detail: outcome.detail }) }
      : { ok: false, reason: outcome.reason };
  }
  const document: Record<string, unknown> = {
    status: input.ready ? 'ok' : 'failing',
    uptime_s: input.uptimeSeconds,
    checks,
  };
  const details = input.details;
  if (details?.ok) {
    const safe = toSafeJson(details.value, input.redact);
    if (safe.ok) {
      for (const [key, value] of Object.entries(safe.value)) if (!ReservedKeys.has(key)) document[key] = value;
    } else {
      document.details_error = safe.reason;
    }
  } else if (details) {
    document.details_error = details.reason;
  }
  return JSON.stringify(document);
}

function toSafeJson(
  value: Record<string, unknown>,
  redact: (text: string) => string,
): Settled<Record<string, unknown>> {
  try {
    const text = JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'string') return redactOrHide(item, redact);
      // JSON has no bigint; counters from libraries sometimes are one.
      if (typeof item === 'bigint') return item.toString();
      return item;
    });
    const parsed: unknown = text === undefined ? {} : JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, reason: 'details are not an object' };
    }
    return { ok: true, value: parsed as Record<string, unknown> };
  } catch {
    // Circular structures and throwing toJSON land here; the error text could quote the data, so it is not shown.
    return { ok: false, reason: 'details are not serialisable' };
  }
}

function redactOrHide(text: string, redact: (text: string) => string): string {
  try {
    return redact(text);
  } catch {
    // Never fall back to the unredacted text.
    return '[redaction failed]';
  }
}
