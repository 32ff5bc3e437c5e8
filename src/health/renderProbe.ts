import type { CheckOutcome } from './HealthCheck.js';

/** The two kube-style probe endpoints. */
export type ProbeKind = 'livez' | 'readyz';

/** Status and plain-text body of a probe answer. */
export interface ProbeAnswer {
  readonly status: 200 | 503;
  readonly body: string;
}

/** How much a probe answer says. */
export interface RenderOptions {
  /** List every check even when all pass (`?verbose`). */
  readonly verbose: boolean;
  /** Print `reason withheld` instead of failure reasons; only verbose output explains, as kube-apiserver does. */
  readonly withholdReasons: boolean;
}

/**
 * Renders check outcomes the way kube-apiserver does: `ok` when everything passes and nobody asked for detail,
 * otherwise one `[+]name ok` / `[-]name failed: reason` line per check and a closing `<kind> check passed|failed`.
 */
export function renderProbe(kind: ProbeKind, outcomes: readonly CheckOutcome[], options: RenderOptions): ProbeAnswer {
  const passed = outcomes.every((outcome) => outcome.ok);
  const status = passed ? 200 : 503;
  if (passed && !options.verbose) return { status, body: 'ok' };
  const lines = outcomes.map((outcome) => {
    if (outcome.ok) return `[+]${outcome.name} ok`;
    return `[-]${outcome.name} failed: ${options.withholdReasons ? 'reason withheld' : outcome.reason}`;
  });
  lines.push(`${kind} check ${passed ? 'passed' : 'failed'}`);
  return { status, body: `${lines.join('\n')}\n` };
}
