import type { ScheduledJob } from '../jobs/Scheduler.js';
import type { ActiveUsersReading, DbInstruments } from '../telemetry/DbInstruments.js';
import { job } from '../telemetry/decorators/job.js';
import type { JobHeartbeats } from '../telemetry/JobHeartbeats.js';
import type { PlayHistoryRepository } from './repositories/PlayHistoryRepository.js';

/** The job's name: the `job` attribute, and its span `job active_users`. */
export const ActiveUsersJobName = 'active_users';

/**
 * Counts the distinct members who played music in the last day and the last 30 days (from `play_history`) and feeds
 * `metronome.users.active` {window: 1d | 30d}. The gauge reports the last successful count; the database is queried
 * only by the job, never from a metric collection. The counts are global (every guild in the database), so several
 * replicas report the same numbers: aggregate with `max`, not `sum`.
 *
 * Not a liveness heartbeat: it fails while the database is down, which must not restart the bot.
 */
export class ActiveUsersJob implements ScheduledJob {
  readonly name = ActiveUsersJobName;
  #latest: ActiveUsersReading | undefined;
  readonly #stopObserving: () => void;

  constructor(
    readonly heartbeats: JobHeartbeats,
    private readonly history: Pick<PlayHistoryRepository, 'activeMembers'>,
    instruments: DbInstruments,
    readonly intervalMs = 300_000,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#stopObserving = instruments.observeActiveUsers(() => this.#latest);
  }

  @job(ActiveUsersJobName)
  async run(): Promise<void> {
    this.#latest = await this.history.activeMembers(this.now());
  }

  /** The last counts, or undefined before the first successful run. */
  get latest(): ActiveUsersReading | undefined {
    return this.#latest;
  }

  /** Stops feeding the gauge (for a job discarded while the meter provider lives on). */
  dispose(): void {
    this.#stopObserving();
  }
}
