import type { MusicService, MusicServiceEvents } from '../music/MusicService.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { NoRestore, type PlayerRestorer, type RestoreSummary } from './PlayerRestorer.js';

/** A player the Lavalink layer stopped (the gateway's `playerLost`). */
export interface LostPlayer {
  readonly guildId: string;
  /** `no_node`: no node was usable; `failed`: every usable node refused the player. */
  readonly reason: 'no_node' | 'failed';
}

export interface NodeOutageRecoveryOptions {
  readonly music: Pick<MusicService, 'on' | 'off'>;
  readonly restorer: Pick<PlayerRestorer, 'restoreAll'>;
  /** Whether a restore's failure was Lavalink being unreachable (`isLavalinkOutage`) rather than refusing. */
  readonly isOutage: (error: unknown) => boolean;
  /** Whether some node can take a player now (the gateway's `usable`). */
  readonly usable: () => boolean;
  readonly logger: Logger;
  /** Delays before retrying a restore that met an outage while a node stayed usable; past the last, it fails. */
  readonly retryDelaysMs?: readonly number[];
}

/**
 * A restore can meet an outage while another node stays usable (its node died during a failover, a call timed out):
 * no `usable` event will come, so it is retried after these delays, and after the last one its failure stands.
 */
export const DefaultRetryDelaysMs: readonly number[] = [5_000, 20_000, 60_000];

type Listener<K extends keyof MusicServiceEvents> = (...args: MusicServiceEvents[K]) => void;

/**
 * Every player restore goes through here, so that Lavalink being away never costs a queue:
 *
 * - **Start-up** ({@link restoreStored}): the last run's players, once a node is usable. With no node in time
 *   ({@link waitForNode}), every stored snapshot waits for the first node instead.
 * - **An outage with no other node** behaves like a bot restart. A player lost because no node was usable
 *   (`no_node`) is held: its session ends as usual, but `PlaybackRecorder` keeps the guild's snapshot (see
 *   {@link holds}). A player lost because every node refused it (`failed`) is not held: a restore would meet the same
 *   refusal.
 * - **A restore that meets an outage** (the node dies while the player is brought back) is held the same way instead
 *   of being reported and deleted.
 *
 * When a node is usable again ({@link nodeUsable}), the held guilds go through `PlayerRestorer` (its `player restore`
 * spans and `player_restore` counts), once each: a guild is released from the hold as its restore starts, so a
 * flapping node cannot restore it twice, and a node that comes back during a run starts one more run for the guilds
 * that run gave back. While no node is usable, a run tries no more guilds: the rest are held without an attempt. A
 * restore that met an outage while a node stayed usable gets no `usable` event: it is retried after
 * {@link DefaultRetryDelaysMs}. A guild where a member started a new session meanwhile is released at once (its new
 * snapshot replaces the held one).
 */
export class NodeOutageRecovery implements AsyncDisposable {
  readonly #options: NodeOutageRecoveryOptions;
  /** Held guilds: `losing` until the music service let the session go, `held` after. */
  readonly #held = new Map<string, 'losing' | 'held'>();
  readonly #stop = new AbortController();
  readonly #onDisconnected: Listener<'disconnected'>;
  readonly #onChanged: Listener<'stateChanged'>;
  /** Every stored snapshot waits for a node (start-up found none). */
  #everything = false;
  #running: Promise<RestoreSummary> | undefined;
  /** A node became usable during the run in progress: run again for the guilds it gave back. */
  #again = false;
  /** Retries so far of guilds whose restore met an outage while a node was usable. */
  readonly #retries = new Map<string, number>();
  #retryTimer: { readonly at: number; readonly timer: NodeJS.Timeout } | undefined;

  constructor(options: NodeOutageRecoveryOptions) {
    this.#options = options;
    this.#onDisconnected = ({ guildId, reason }) => {
      if (reason === 'node_lost' && this.#held.get(guildId) === 'losing') this.#held.set(guildId, 'held');
    };
    // After the lost session is gone, a change in the guild is a new session (a member's /play): it wins.
    this.#onChanged = ({ guildId }) => {
      if (this.#held.get(guildId) === 'held') this.#held.delete(guildId);
    };
    options.music.on('disconnected', this.#onDisconnected);
    options.music.on('stateChanged', this.#onChanged);
  }

  /** Guilds whose players wait for a node (-1: every stored one); for diagnostics and tests. */
  get pending(): number {
    return this.#everything ? -1 : this.#held.size;
  }

  /**
   * Start-up with a node usable: restores every stored player. Resolves with what the runs did (this one, and the
   * one more a node coming back during it starts); never rejects.
   */
  restoreStored(): Promise<RestoreSummary> {
    if (this.#stop.signal.aborted) return Promise.resolve(NoRestore);
    this.#everything = true;
    return this.#start();
  }

  /** Start-up without a node: every stored player is restored when one is usable ({@link nodeUsable}). */
  waitForNode(): void {
    if (this.#stop.signal.aborted) return;
    this.#everything = true;
    this.#options.logger.debug('no lavalink node usable yet; the stored players are restored when one is');
  }

  /** The gateway's `playerLost`; must be called before the music service is told (it is synchronous). */
  playerLost(event: LostPlayer): void {
    if (event.reason !== 'no_node' || this.#stop.signal.aborted) return;
    this.#held.set(event.guildId, 'losing');
  }

  /**
   * True while the guild's snapshot waits for a node: deleting it would lose the queue for good. (While every stored
   * snapshot waits, no session can start or end: there is no node to play on.)
   */
  holds(guildId: string): boolean {
    return this.#held.has(guildId);
  }

  /** The gateway's `usable`: restores the held guilds (after the run in progress, if any). */
  nodeUsable(): void {
    if (this.#stop.signal.aborted) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#held.size > 0 || this.#everything) void this.#start();
  }

  /** Resolves when the restore in progress (if any) is over; for tests. Never rejects. */
  async settled(): Promise<void> {
    await this.#running;
  }

  /** Stops holding and restoring; a restore in progress finishes the guilds it started. Held snapshots stay stored. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stop.abort();
    clearTimeout(this.#retryTimer?.timer);
    this.#options.music.off('disconnected', this.#onDisconnected);
    this.#options.music.off('stateChanged', this.#onChanged);
    await this.#running;
  }

  #start(): Promise<RestoreSummary> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<RestoreSummary> {
    const { restorer, logger } = this.#options;
    const total = { restored: 0, failed: 0, skipped: 0, deferred: 0 };
    do {
      this.#again = false;
      const guilds = this.#everything ? undefined : new Set(this.#held.keys());
      this.#everything = false;
      this.#held.clear();
      if (guilds)
        logger.info({ guilds: guilds.size }, 'a lavalink node is usable again; restoring the players it stopped');
      try {
        const summary = await restorer.restoreAll({
          signal: this.#stop.signal,
          guilds,
          defer: (guildId, error) => this.#defer(guildId, error),
          postpone: (guildId) => this.#postpone(guildId),
        });
        for (const key of Object.keys(total) as (keyof RestoreSummary)[]) total[key] += summary[key];
      } catch (error) {
        logger.error({ err: error }, 'restoring players failed');
      }
      // A guild no longer held was restored, or failed for good: its retries start afresh next time.
      for (const guildId of this.#retries.keys()) if (!this.#held.has(guildId)) this.#retries.delete(guildId);
    } while (this.#again && this.#held.size > 0 && !this.#stop.signal.aborted);
    if (this.#held.size > 0 && !this.#stop.signal.aborted) {
      const retryInMs = this.#retryTimer && Math.max(0, Math.round(this.#retryTimer.at - performance.now()));
      logger.info(
        { guilds: this.#held.size, ...(retryInMs !== undefined && { retry_in_ms: retryInMs }) },
        'players wait for a lavalink node',
      );
    }
    return total;
  }

  /** Before a guild is tried: with no node usable it would fail at once, so it is held without an attempt. */
  #postpone(guildId: string): boolean {
    if (this.#stop.signal.aborted || this.#options.usable()) return false;
    this.#held.set(guildId, 'held');
    return true;
  }

  /**
   * A restore that failed: held again when Lavalink was away (or the node went during it), so it is tried when a
   * node is usable again, or after a delay if one still is.
   */
  #defer(guildId: string, error: unknown): boolean {
    // During shutdown the snapshot stays stored either way; the next start tries again.
    if (this.#stop.signal.aborted) return this.#options.isOutage(error);
    if (!this.#held.has(guildId) && !this.#options.isOutage(error)) return false;
    if (!this.#options.usable()) {
      this.#retries.delete(guildId);
      this.#held.set(guildId, 'held');
      return true;
    }
    const retries = this.#retries.get(guildId) ?? 0;
    const delay = (this.#options.retryDelaysMs ?? DefaultRetryDelaysMs)[retries];
    if (delay === undefined) {
      this.#retries.delete(guildId);
      this.#held.delete(guildId);
      return false;
    }
    this.#retries.set(guildId, retries + 1);
    this.#held.set(guildId, 'held');
    this.#retryIn(delay);
    return true;
  }

  #retryIn(delayMs: number): void {
    const at = performance.now() + delayMs;
    if (this.#retryTimer && this.#retryTimer.at <= at) return;
    clearTimeout(this.#retryTimer?.timer);
    const timer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.nodeUsable();
    }, delayMs);
    timer.unref();
    this.#retryTimer = { at, timer };
  }
}
