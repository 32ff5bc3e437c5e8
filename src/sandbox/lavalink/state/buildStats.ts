import type { LavalinkStats } from '../protocol/ServerMessage.js';
import type { LavalinkSession } from './LavalinkSession.js';
import type { NodeLoad } from './NodeLoad.js';

const MiB = 1024 * 1024;
/** Lavalink expects one 20 ms frame per playing player: 3000 a minute. */
const FRAMES_PER_MINUTE = 3000;

/** What stats are computed from. */
export interface StatsInput {
  readonly sessions: Iterable<LavalinkSession>;
  readonly uptimeMs: number;
  readonly load: NodeLoad;
  /** The session the `stats` op goes to; frame stats describe its players. Omitted for `GET /v4/stats`. */
  readonly forSession?: LavalinkSession;
}

/**
 * Node statistics shaped like Lavalink's. Memory is synthetic but plausible (a JVM heap growing with players) and
 * deterministic. Frame stats follow Lavalink: null unless a player of the session is playing (Lavalink only counts
 * players with audio in the last minute), otherwise averages per playing player, where `deficit` is what is missing
 * from the expected 3000 frames a minute after `sent` and `nulled`.
 */
export function buildStats(input: StatsInput): LavalinkStats {
  let players = 0;
  let playingPlayers = 0;
  for (const session of input.sessions) {
    for (const player of session.players.values()) {
      players += 1;
      if (player.playing) playingPlayers += 1;
    }
  }
  const allocated = 512 * MiB;
  const used = Math.min(allocated, 96 * MiB + players * 3 * MiB);
  const stats: LavalinkStats = {
    players,
    playingPlayers,
    uptime: Math.max(0, Math.floor(input.uptimeMs)),
    memory: { free: allocated - used, used, allocated, reservable: 4096 * MiB },
    cpu: { cores: input.load.cores, systemLoad: input.load.systemLoad, lavalinkLoad: input.load.lavalinkLoad },
  };
  if (!input.forSession) return stats;
  return { ...stats, frameStats: frameStats(input.forSession, input.load) };
}

function frameStats(session: LavalinkSession, load: NodeLoad): LavalinkStats['frameStats'] {
  let playing = 0;
  for (const player of session.players.values()) if (player.playing && player.connected) playing += 1;
  if (playing === 0) return null;
  const nulled = Math.min(load.nulledFrames, FRAMES_PER_MINUTE);
  const deficit = Math.min(load.deficitFrames, FRAMES_PER_MINUTE - nulled);
  return { sent: FRAMES_PER_MINUTE - nulled - deficit, nulled, deficit };
}
