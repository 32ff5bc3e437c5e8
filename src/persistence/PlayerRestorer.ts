import { type Span, SpanKind } from '@opentelemetry/api';
import type { QueueSnapshotWriter } from '../db/QueueSnapshotWriter.js';
import type { QueueSnapshotRepository, StoredQueueSnapshot } from '../db/repositories/QueueSnapshotRepository.js';
import { type GuildQueueSnapshot, parseGuildQueueSnapshot } from '../music/GuildQueueSnapshot.js';
import type { MusicService } from '../music/MusicService.js';
import type { Track } from '../music/Track.js';
import type { Instruments } from '../telemetry/Instruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import { endSpan, tracer } from '../telemetry/spans.js';
import { AttributeNames, SpanNames } from '../telemetry/TelemetryNames.js';

/**
 * The span of one restore and its attribute saying why it failed. Local until the catalogue in `TelemetryNames` has
 * them (`SpanNames.PlayerRestore`, `AttributeNames.MetronomeRestoreFailure`).
 */
export const PlayerRestoreSpanName = SpanNames.PlayerRestore;
export const RestoreFailureAttribute = AttributeNames.MetronomeRestoreFailure;
/** The automation action restores are counted as, with `outcome` `success` or `failed`. */
export const PlayerRestoreAction = 'player_restore';

/** Why a stored snapshot could not be restored (the span's `metronome.restore.failure`). */
export type RestoreFailure = 'invalid' | 'guild_gone' | 'channel_gone' | 'play_failed';

/** Where the guild stands in Discord at start-up. */
export type GuildPresence = { readonly shardId: number } | 'unavailable' | 'gone';

/** What restoring needs from Discord: which guilds and channels still exist, who listens, and telling the channel. */
export interface RestoreDiscord {
  /** The guild's shard; `unavailable` during a Discord outage (try again next start), `gone` when the bot left it. */
  presence(guildId: string): GuildPresence;
  hasVoiceChannel(guildId: string, channelId: string): boolean;
  /** Humans in the voice channel, for the "alone" countdown. */
  listeners(guildId: string, channelId: string): number;
  /** Tells the text channel its music could not be brought back. Never rejects. */
  notifyFailure(textChannelId: string, failure: RestoreFailure, track: Track | null): Promise<void>;
}

export interface PlayerRestorerOptions {
  readonly repository: Pick<QueueSnapshotRepository, 'all'>;
  /** Discarded snapshots are deleted through the writer, so a save still pending for the guild cannot revive them. */
  readonly writer: Pick<QueueSnapshotWriter, 'delete' | 'save'>;
  readonly music: Pick<MusicService, 'restore' | 'membersChanged'>;
  readonly discord: RestoreDiscord;
  readonly instruments: Pick<Instruments, 'automationActions'>;
  readonly logger: Logger;
  /** Guilds restored at once. */
  readonly concurrency?: number;
}

/** What a restore run did. */
export interface RestoreSummary {
  readonly restored: number;
  readonly failed: number;
  /** Left alone: the guild already plays again, is unavailable, or had nothing to restore. */
  readonly skipped: number;
  /** Met a Lavalink outage: the snapshot is kept and the guild handed to {@link RestoreRun.defer}. */
  readonly deferred: number;
}

/** Which snapshots a {@link PlayerRestorer.restoreAll} run restores, and what becomes of those Lavalink could not take. */
export interface RestoreRun {
  /** Shutdown: guilds not yet started are left for next time. */
  readonly signal?: AbortSignal;
  /** Only these guilds (after a Lavalink outage, the guilds whose players it stopped); every stored one if absent. */
  readonly guilds?: ReadonlySet<string>;
  /**
   * Asked when a guild's player could not be brought back: true takes the guild (its snapshot is kept as it was
   * stored, for a later attempt; nobody is told), false lets the failure stand (the channel is told and the snapshot
   * deleted). Without it every failure stands.
   */
  readonly defer?: (guildId: string, error: unknown) => boolean;
  /**
   * Asked before each guild is tried: true takes the guild without trying it (its snapshot is kept), e.g. while no
   * Lavalink node is usable, where every attempt would fail at once.
   */
  readonly postpone?: (guildId: string) => boolean;
}

export const NoRestore: RestoreSummary = Object.freeze({ restored: 0, failed: 0, skipped: 0, deferred: 0 });

type Outcome = 'success' | 'failed' | 'skipped' | 'deferred';

/** A restore that failed for a reason the channel is told about. */
class RestoreFailedError extends Error {
  override readonly name = 'RestoreFailedError';

  constructor(
    readonly failure: RestoreFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Brings every stored player back after a (re)start, or after a Lavalink outage stopped them (see
 * `NodeOutageRecovery`), once Discord and a Lavalink node are ready: for each snapshot
 * the bot rejoins the voice channel and plays the current track from the saved position with the saved queue, loop,
 * volume, filter, pause and 24/7 (see `MusicService.restore`). Each guild is one root span `player restore` and one
 * `player_restore` automation action (`success`, `failed`). A snapshot that can no longer be restored (its voice
 * channel was deleted, its track does not play) is reported in its text channel and deleted; so is one the bot
 * cannot read or whose guild it left (silently: there is nowhere to report). One that meets a Lavalink outage (the
 * node dies during the restore) is neither: the run's `defer` keeps it for when a node is back (span outcome
 * `deferred`, not counted).
 */
export class PlayerRestorer {
  readonly #options: PlayerRestorerOptions;

  constructor(options: PlayerRestorerOptions) {
    this.#options = options;
  }

  /** Restores the stored players `run` asks for (every one by default). */
  async restoreAll(run: RestoreRun = {}): Promise<RestoreSummary> {
    const { logger } = this.#options;
    const { signal, guilds } = run;
    let rows: StoredQueueSnapshot[];
    try {
      rows = await this.#options.repository.all();
      if (guilds) rows = rows.filter((row) => guilds.has(row.guildId));
    } catch (error) {
      // Kept for the next start: a database that is down now says nothing about the players.
      logger.warn({ err: error }, 'could not read the queue snapshots; no player restored');
      return NoRestore;
    }
    const counts = { success: 0, failed: 0, skipped: 0, deferred: 0 };
    const queue = [...rows];
    const worker = async () => {
      for (let row = queue.shift(); row && !signal?.aborted; row = queue.shift()) {
        counts[run.postpone?.(row.guildId) ? 'deferred' : await this.#restoreOne(row, run)]++;
      }
    };
    const workers = Math.max(1, Math.min(this.#options.concurrency ?? 4, queue.length));
    await Promise.all(Array.from({ length: workers }, worker));
    const { success: restored, failed, skipped, deferred } = counts;
    const summary: RestoreSummary = { restored, failed, skipped, deferred };
    if (rows.length > 0) logger.info(summary, 'players restored');
    return summary;
  }

  #restoreOne(row: StoredQueueSnapshot, run: RestoreRun): Promise<Outcome> {
    const attributes = { [AttributeNames.DiscordGuildId]: row.guildId };
    return tracer().startActiveSpan(
      PlayerRestoreSpanName,
      { root: true, kind: SpanKind.INTERNAL, attributes },
      async (span) => {
        let outcome: Outcome = 'failed';
        let fault: unknown;
        try {
          outcome = await this.#attempt(row, span, run);
        } catch (error) {
          const failure = error instanceof RestoreFailedError ? error.failure : 'play_failed';
          const cause = error instanceof RestoreFailedError ? (error.cause ?? error) : error;
          span.setAttribute(RestoreFailureAttribute, failure);
          // A deleted channel or a guild the bot left is the world changing, not a fault of the bot.
          // The span records what refused (the Lavalink error, the schema error), not the wrapper.
          if (failure === 'play_failed' || failure === 'invalid') fault = cause;
          this.#options.writer.delete(row.guildId);
          this.#options.logger.warn(
            { err: cause, guild_id: row.guildId, failure },
            'could not restore a player; its snapshot is discarded',
          );
        } finally {
          span.setAttribute(AttributeNames.MetronomeOutcome, outcome);
          if (outcome === 'success' || outcome === 'failed') {
            this.#options.instruments.automationActions.add(1, {
              [AttributeNames.Action]: PlayerRestoreAction,
              [AttributeNames.Outcome]: outcome,
            });
          }
          endSpan(span, fault);
        }
        return outcome;
      },
    );
  }

  /** Restores one guild; a failure is thrown (as a {@link RestoreFailedError} when the channel should hear of it). */
  async #attempt(row: StoredQueueSnapshot, span: Span, run: RestoreRun): Promise<Outcome> {
    const { music, discord, writer } = this.#options;
    let snapshot: GuildQueueSnapshot;
    try {
      snapshot = parseGuildQueueSnapshot(row.snapshot);
    } catch (error) {
      throw new RestoreFailedError('invalid', 'the stored snapshot is not valid', { cause: error });
    }
    if (snapshot.guildId !== row.guildId) throw new RestoreFailedError('invalid', 'the snapshot is of another guild');
    const { voiceChannelId, textChannelId, current } = snapshot;
    if (voiceChannelId === null || (!current && snapshot.upcoming.length === 0 && !snapshot.alwaysOn)) {
      // Nothing was playing and nothing kept the bot there: nothing to bring back.
      writer.delete(row.guildId);
      return 'skipped';
    }
    const presence = discord.presence(row.guildId);
    if (presence === 'unavailable') return 'skipped';
    if (presence === 'gone') throw new RestoreFailedError('guild_gone', 'the bot is no longer in the guild');
    span.setAttribute(AttributeNames.DiscordChannelId, voiceChannelId);
    const report = async (failure: RestoreFailure) => {
      if (textChannelId) await discord.notifyFailure(textChannelId, failure, current);
    };
    if (!discord.hasVoiceChannel(row.guildId, voiceChannelId)) {
      await report('channel_gone');
      throw new RestoreFailedError('channel_gone', 'the voice channel is gone');
    }
    let restored: Awaited<ReturnType<typeof music.restore>>;
    try {
      restored = await music.restore(snapshot, { shardId: presence.shardId });
    } catch (error) {
      if (run.defer?.(row.guildId, error)) {
        // The join saved the session as it stood before its track resumed (at position 0): put back the stored one.
        writer.save(row.guildId, snapshot);
        this.#options.logger.info(
          { err: error, guild_id: row.guildId },
          'a player could not be restored during a lavalink outage; its snapshot waits for a node',
        );
        return 'deferred';
      }
      await report('play_failed');
      throw new RestoreFailedError('play_failed', 'the player could not be restored', { cause: error });
    }
    if (restored === 'skipped') return 'skipped';
    music.membersChanged(row.guildId, voiceChannelId, discord.listeners(row.guildId, voiceChannelId));
    return 'success';
  }
}
