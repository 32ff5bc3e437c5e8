import type { LavalinkTrack } from '../protocol/LavalinkTrack.js';
import type { LavalinkFiltersJson, LavalinkVoiceState } from '../protocol/PlayerJson.js';
import type { SandboxPlayer } from './SandboxPlayer.js';

/** A player as tests see it, position computed from the node's clock. */
export interface SandboxPlayerSnapshot {
  readonly sessionId: string;
  readonly guildId: string;
  readonly track: LavalinkTrack | null;
  readonly position: number;
  readonly paused: boolean;
  readonly volume: number;
  readonly filters: LavalinkFiltersJson;
  readonly voice: LavalinkVoiceState | null;
  readonly connected: boolean;
  readonly endTime: number | null;
  readonly stuck: boolean;
}

/** A snapshot of a player at `now`. */
export function snapshotPlayer(sessionId: string, player: SandboxPlayer, now: number): SandboxPlayerSnapshot {
  return {
    sessionId,
    guildId: player.guildId,
    track: player.trackAt(now),
    position: player.positionAt(now),
    paused: player.paused,
    volume: player.volume,
    filters: player.filters,
    voice: player.voice,
    connected: player.connected,
    endTime: player.endTime,
    stuck: player.stuck,
  };
}
