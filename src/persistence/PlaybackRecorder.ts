import type { HistoryWriter } from '../db/HistoryWriter.js';
import type { QueueSnapshotWriter } from '../db/QueueSnapshotWriter.js';
import type { MusicService, MusicServiceEvents } from '../music/MusicService.js';

/** What the recorder follows: the music service's events and state. */
export type RecordedMusic = Pick<MusicService, 'on' | 'off' | 'snapshotOf' | 'snapshots' | 'playingGuilds'>;

/** How often the positions of playing guilds are saved, so a crash resumes close to where the music was. */
export const DefaultCheckpointIntervalMs = 5_000;

type Listener<K extends keyof MusicServiceEvents> = (...args: MusicServiceEvents[K]) => void;

export interface PlaybackRecorderOptions {
  /** How often playing guilds are saved; {@link DefaultCheckpointIntervalMs} by default. */
  readonly checkpointIntervalMs?: number;
  /**
   * True for a guild whose snapshot must outlive its session: its player was stopped by a Lavalink outage and is
   * restored when a node is back (`NodeOutageRecovery.holds`). Never by default.
   */
  readonly keepsSnapshot?: (guildId: string) => boolean;
}

/**
 * Keeps the database in step with the music, never making playback or a command wait for it:
 *
 * - every state change of a guild (`stateChanged`) hands its snapshot to the {@link QueueSnapshotWriter}, which
 *   coalesces them into one write per guild and second;
 * - while a track plays, its guild's snapshot is saved again every `checkpointIntervalMs`, so the stored position
 *   is never further behind than that when the process dies;
 * - the bot leaving on purpose (`/leave`, idle, alone, channel or guild gone, a failover that every node refused)
 *   deletes the snapshot: there is nothing to restore. A shutdown does not: the players are restored at the next
 *   start; nor does a player lost because no Lavalink node was left (`keepsSnapshot`): it is restored when one is;
 * - every track that stopped playing (`trackEnded`) becomes a play history row through the {@link HistoryWriter}, except
 *   at shutdown, where the track has not ended: it plays on after the restore.
 */
export class PlaybackRecorder implements Disposable {
  readonly #timer: NodeJS.Timeout;
  readonly #onChanged: Listener<'stateChanged'>;
  readonly #onDisconnected: Listener<'disconnected'>;
  readonly #onEnded: Listener<'trackEnded'>;
  #disposed = false;

  constructor(
    private readonly music: RecordedMusic,
    private readonly snapshots: Pick<QueueSnapshotWriter, 'save' | 'delete'>,
    history: Pick<HistoryWriter, 'record'>,
    options: PlaybackRecorderOptions = {},
  ) {
    const { checkpointIntervalMs = DefaultCheckpointIntervalMs, keepsSnapshot = () => false } = options;
    this.#onChanged = ({ guildId }) => this.#save(guildId);
    // A kept snapshot is left as last saved: nothing is saved at the disconnect, whose position ran on past the outage.
    this.#onDisconnected = ({ guildId }) => {
      if (!keepsSnapshot(guildId)) snapshots.delete(guildId);
    };
    this.#onEnded = (play) => {
      if (play.reason === 'shutdown') return;
      history.record({
        guildId: play.guildId,
        memberId: play.track.requester.id,
        trackIdentifier: play.track.identifier,
        title: play.track.title,
        author: play.track.author,
        uri: play.track.uri,
        source: play.track.sourceName,
        startedAt: play.startedAt,
        endedAt: play.endedAt,
        playedMs: play.playedMs,
      });
    };
    music.on('stateChanged', this.#onChanged);
    music.on('disconnected', this.#onDisconnected);
    music.on('trackEnded', this.#onEnded);
    this.#timer = setInterval(() => {
      for (const guildId of music.playingGuilds()) this.#save(guildId);
    }, checkpointIntervalMs);
    this.#timer.unref();
  }

  /**
   * Hands every guild's current state to the writer (shutdown: the positions of the last moment). Returns how many.
   * Guilds still joining their voice channel have nothing to restore and are left out.
   */
  saveAll(): number {
    let saved = 0;
    for (const snapshot of this.music.snapshots()) {
      if (snapshot.voiceChannelId === null) continue;
      this.snapshots.save(snapshot.guildId, snapshot);
      saved++;
    }
    return saved;
  }

  /** Stops following the music; what was handed to the writers stays theirs to write. */
  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearInterval(this.#timer);
    this.music.off('stateChanged', this.#onChanged);
    this.music.off('disconnected', this.#onDisconnected);
    this.music.off('trackEnded', this.#onEnded);
  }

  #save(guildId: string): void {
    const snapshot = this.music.snapshotOf(guildId);
    if (snapshot) this.snapshots.save(guildId, snapshot);
  }
}
