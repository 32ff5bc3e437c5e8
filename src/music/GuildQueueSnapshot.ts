import { z } from 'zod';
import { type FilterPresetName, FilterPresetNames } from './FilterPresets.js';
import type { Track } from './Track.js';

/** Loop modes: `track` repeats the current track, `queue` moves each finished track to the end of the queue. */
export const LoopModes = ['off', 'track', 'queue'] as const;

/** One of {@link LoopModes}. */
export type LoopMode = (typeof LoopModes)[number];

/** The highest volume a queue accepts (100 is unchanged; Lavalink would go to 1000, which only distorts). */
export const MaxVolume = 200;

/** The snapshot format version; bump it (and migrate in {@link parseGuildQueueSnapshot}) when the shape changes. */
export const SnapshotVersion = 1;

/**
 * The whole state of a guild's queue as plain JSON: what persistence stores so a restart (or another replica) can
 * put the player back as it was. `positionMs` is the playback position of `current` when the snapshot was taken.
 */
export interface GuildQueueSnapshot {
  readonly version: typeof SnapshotVersion;
  readonly guildId: string;
  readonly current: Track | null;
  readonly positionMs: number;
  readonly upcoming: readonly Track[];
  /** Oldest first. */
  readonly history: readonly Track[];
  readonly loop: LoopMode;
  readonly volume: number;
  readonly filter: FilterPresetName;
  readonly paused: boolean;
  /** `/247`: stay connected when idle or alone. */
  readonly alwaysOn: boolean;
  readonly voiceChannelId: string | null;
  readonly textChannelId: string | null;
}

const TrackSchema = z.object({
  encoded: z.string().min(1),
  identifier: z.string(),
  title: z.string(),
  author: z.string(),
  lengthMs: z.number().nonnegative(),
  isStream: z.boolean(),
  isSeekable: z.boolean(),
  uri: z.string().nullable(),
  artworkUrl: z.string().nullable(),
  sourceName: z.string(),
  requester: z.object({ id: z.string(), name: z.string() }),
  origin: z.object({ traceId: z.string(), spanId: z.string() }).optional(),
});

const SnapshotSchema = z.object({
  version: z.literal(SnapshotVersion),
  guildId: z.string().min(1),
  current: TrackSchema.nullable(),
  positionMs: z.number().nonnegative(),
  upcoming: z.array(TrackSchema),
  history: z.array(TrackSchema),
  loop: z.enum(LoopModes),
  volume: z.number().int().min(0).max(MaxVolume),
  filter: z.enum(FilterPresetNames),
  paused: z.boolean(),
  alwaysOn: z.boolean(),
  voiceChannelId: z.string().nullable(),
  textChannelId: z.string().nullable(),
});

/**
 * Checks a stored value before it becomes a queue: rows written by an older or broken version must fail here, with
 * the path of the bad field, rather than as a confusing error deep in playback. Unknown fields are dropped.
 *
 * @throws {TypeError} naming the first invalid fields, with the zod error as `cause`.
 */
export function parseGuildQueueSnapshot(value: unknown): GuildQueueSnapshot {
  const result = SnapshotSchema.safeParse(value);
  if (!result.success) {
    const where = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new TypeError(`invalid guild queue snapshot: ${where}`, { cause: result.error });
  }
  return stripUndefinedOrigins(result.data);
}

// zod keeps an absent optional key absent, but be explicit: a snapshot must round-trip through JSON unchanged.
function stripUndefinedOrigins(snapshot: z.infer<typeof SnapshotSchema>): GuildQueueSnapshot {
  const clean = (track: z.infer<typeof TrackSchema>): Track => {
    const { origin, ...rest } = track;
    return origin ? { ...rest, origin } : rest;
  };
  return {
    ...snapshot,
    current: snapshot.current ? clean(snapshot.current) : null,
    upcoming: snapshot.upcoming.map(clean),
    history: snapshot.history.map(clean),
  };
}
