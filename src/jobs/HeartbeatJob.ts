import { job } from '../telemetry/decorators/job.js';
import type { JobHeartbeats } from '../telemetry/JobHeartbeats.js';
import type { ScheduledJob } from './Scheduler.js';

/** The name of the heartbeat job, as the `job` attribute and in `job heartbeat` spans. */
export const HeartbeatJobName = 'heartbeat';

/**
 * The process heartbeat: a trivial job whose only purpose is to prove that timers fire and jobs complete. `/livez`
 * fails when it goes stale, which catches a process that still answers HTTP but no longer runs its work.
 */
export class HeartbeatJob implements ScheduledJob {
  readonly name = HeartbeatJobName;

  constructor(
    readonly heartbeats: JobHeartbeats,
    readonly intervalMs: number,
  ) {}

  @job(HeartbeatJobName)
  async run(): Promise<void> {
    // Yield once so a run measures a full trip through the event loop, not a synchronous call.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
