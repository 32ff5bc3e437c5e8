import { formatDuration } from './formatDuration.js';
import type { HealthCheck } from './HealthCheck.js';

/** Anything that beats periodically: a scheduler tick, a job loop. */
export interface HeartbeatSource {
  /** Epoch ms of the last beat; 0 means it has never beaten. */
  lastBeat(): number;
}

/**
 * A liveness check that fails once `source` has not beaten for more than `staleMs`, with a reason such as
 * `last heartbeat 42s ago (limit 30s)`. A source that has never beaten is given `staleMs` from the moment the check is
 * created, so a slow start is not mistaken for a stuck one.
 *
 * @param now clock in epoch ms; injectable for tests.
 */
export function heartbeatCheck(
  name: string,
  source: HeartbeatSource,
  staleMs: number,
  now: () => number = () => Date.now(),
): HealthCheck {
  const createdAt = now();
  const limit = formatDuration(staleMs);
  return {
    name,
    check: () => {
      const at = now();
      const last = source.lastBeat();
      if (last === 0) {
        const waited = at - createdAt;
        if (waited <= staleMs) return { ok: true, detail: 'waiting for first heartbeat' };
        return { ok: false, reason: `no heartbeat since start ${formatDuration(waited)} ago (limit ${limit})` };
      }
      // A beat stamped in the future (clock step) counts as fresh rather than as an enormous age.
      const age = Math.max(0, at - last);
      if (age > staleMs) return { ok: false, reason: `last heartbeat ${formatDuration(age)} ago (limit ${limit})` };
      return { ok: true, detail: `last heartbeat ${formatDuration(age)} ago` };
    },
  };
}
