/** What a check reports: healthy (optionally with a short note), or unhealthy with a reason an operator can act on. */
export type CheckResult = { ok: true; detail?: string } | { ok: false; reason: string };

/**
 * One probe condition. Checks are run concurrently, each under a timeout; the signal aborts when the time is up (or
 * the server closes), so a check that does I/O should pass it on. Throwing counts as failing with the error's message.
 */
export interface HealthCheck {
  /** Shown in probe output and addressable as `/readyz/<name>`: letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  check(signal: AbortSignal): Promise<CheckResult> | CheckResult;
}

/** A check's result once run: never throws, reason already sanitised and redacted. */
export type CheckOutcome = { readonly name: string } & (
  | { readonly ok: true; readonly detail?: string }
  | { readonly ok: false; readonly reason: string }
);
