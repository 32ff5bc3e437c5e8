import type { MusicService, MusicServiceEvents } from '../music/MusicService.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { PlayerRestorer, RestoreSummary } from './PlayerRestorer.js';

/** A player the Lavalink layer stopped (the gateway's `playerLost`). */
export interface LostPlayer {
  readonly guildId: string;
  /** `no_node`: no node was usable; `failed`: every usable node refused the player. */
  readonly reason: 'no_node' | 'failed';
}

export interface NodeOutageRecoveryOptions {
  readonly music: Pick<MusicService, 'on' | 'off'>;
  readonly restorer: Pick<PlayerRestorer, 'restoreAll'>;
  readonly logger: Logger;
}

type Listener<K extends keyof MusicServiceEvents> = (...args: MusicServiceEvents[K]) => void;

/**
 * Makes a Lavalink outage with no other node behave like a bot restart. A player lost because no node was usable
 * (`no_node`) is held: its session ends as usual, but `PlaybackRecorder` keeps the guild's snapshot (see
 * {@link holds}). When a node is usable again ({@link nodeUsable}), the held guilds go through the same
 * `PlayerRestorer` as at start-up (its `player restore` spans and `player_restore` counts), once each: a guild is
 * released from the hold as its restore starts, so a flapping node cannot restore it twice; and a guild where a
 * member started a new session meanwhile is released at once (its new snapshot replaces the held one). A player lost
 * because every node refused it (`failed`) is not held: a restore would meet the same refusal.
 */
export class NodeOutageRecovery implements AsyncDisposable {
  readonly #options: NodeOutageRecoveryOptions;
  /** Held guilds: `losing` until the music service let the session go, `held` after. */
  readonly #held = new Map<string, 'losing' | 'held'>();
  readonly #stop = new AbortController();
  readonly #onDisconnected: Listener<'disconnected'>;
  readonly #onChanged: Listener<'stateChanged'>;
  #running: Promise<void> | undefined;
  #again = false;

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

  /** Guilds whose players wait for a node; for diagnostics and tests. */
  get pending(): number {
    return this.#held.size;
  }

  /** The gateway's `playerLost`; must be called before the music service is told (it is synchronous). */
  playerLost(event: LostPlayer): void {
    if (event.reason !== 'no_node' || this.#stop.signal.aborted) return;
    this.#held.set(event.guildId, 'losing');
  }

  /** True while the guild's snapshot waits for a node: deleting it would lose the queue for good. */
  holds(guildId: string): boolean {
    return this.#held.has(guildId);
  }

  /** The gateway's `usable`: restores the held guilds (after the run in progress, if any). */
  nodeUsable(): void {
    if (this.#held.size === 0 || this.#stop.signal.aborted) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves when the restore in progress (if any) is over; for tests. Never rejects. */
  settled(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** Stops holding and restoring; a restore in progress finishes the guilds it started. Held snapshots stay stored. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stop.abort();
    this.#options.music.off('disconnected', this.#onDisconnected);
    this.#options.music.off('stateChanged', this.#onChanged);
    await this.#running;
  }

  async #run(): Promise<void> {
    const { restorer, logger } = this.#options;
    do {
      this.#again = false;
      const guilds = new Set(this.#held.keys());
      this.#held.clear();
      logger.info({ guilds: guilds.size }, 'a lavalink node is usable again; restoring the players it stopped');
      let summary: RestoreSummary | undefined;
      try {
        summary = await restorer.restoreAll(this.#stop.signal, guilds);
      } catch (error) {
        logger.error({ err: error }, 'restoring players after the lavalink outage failed');
      }
      if (summary) logger.debug({ ...summary }, 'outage restore over');
    } while (this.#again && this.#held.size > 0 && !this.#stop.signal.aborted);
  }
}
