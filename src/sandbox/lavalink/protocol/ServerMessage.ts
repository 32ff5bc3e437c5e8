import type { LavalinkTrack } from './LavalinkTrack.js';
import type { LavalinkException } from './LoadResult.js';
import type { LavalinkPlayerState } from './PlayerJson.js';

/** Why a track ended, as `TrackEndEvent.reason`. */
export type TrackEndReason = 'finished' | 'loadFailed' | 'stopped' | 'replaced' | 'cleanup';

/** `ready`: sent once a websocket is accepted. */
export interface ReadyMessage {
  readonly op: 'ready';
  readonly resumed: boolean;
  readonly sessionId: string;
}

/** Memory, CPU and frame figures shared by the `stats` op and `GET /v4/stats`. */
export interface LavalinkStats {
  readonly players: number;
  readonly playingPlayers: number;
  readonly uptime: number;
  readonly memory: {
    readonly free: number;
    readonly used: number;
    readonly allocated: number;
    readonly reservable: number;
  };
  readonly cpu: { readonly cores: number; readonly systemLoad: number; readonly lavalinkLoad: number };
  /** Per playing player of the session; null when none plays; never present on `GET /v4/stats`. */
  readonly frameStats?: { readonly sent: number; readonly nulled: number; readonly deficit: number } | null;
}

/** `stats`: node statistics, sent periodically. */
export interface StatsMessage extends LavalinkStats {
  readonly op: 'stats';
}

/** `playerUpdate`: a player's position, sent periodically while it has a track. */
export interface PlayerUpdateMessage {
  readonly op: 'playerUpdate';
  readonly guildId: string;
  readonly state: LavalinkPlayerState;
}

interface EventBase {
  readonly op: 'event';
  readonly guildId: string;
}

export interface TrackStartEvent extends EventBase {
  readonly type: 'TrackStartEvent';
  readonly track: LavalinkTrack;
}

export interface TrackEndEvent extends EventBase {
  readonly type: 'TrackEndEvent';
  readonly track: LavalinkTrack;
  readonly reason: TrackEndReason;
}

export interface TrackExceptionEvent extends EventBase {
  readonly type: 'TrackExceptionEvent';
  readonly track: LavalinkTrack;
  readonly exception: LavalinkException;
}

export interface TrackStuckEvent extends EventBase {
  readonly type: 'TrackStuckEvent';
  readonly track: LavalinkTrack;
  readonly thresholdMs: number;
}

export interface WebSocketClosedEvent extends EventBase {
  readonly type: 'WebSocketClosedEvent';
  readonly code: number;
  readonly reason: string;
  readonly byRemote: boolean;
}

/** `event`: something happened to a player or its voice connection. */
export type PlayerEventMessage =
  | TrackStartEvent
  | TrackEndEvent
  | TrackExceptionEvent
  | TrackStuckEvent
  | WebSocketClosedEvent;

/** Every message a Lavalink v4 node sends on its websocket. */
export type ServerMessage = ReadyMessage | StatsMessage | PlayerUpdateMessage | PlayerEventMessage;
