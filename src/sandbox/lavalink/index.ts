export type {
  CatalogueLoadFailure,
  CataloguePlaylist,
  CatalogueSpec,
  CatalogueTrack,
  PlaybackFailure,
} from './catalogue/CatalogueEntry.js';
export { CatalogueIdentifiers, defaultCatalogue } from './catalogue/defaultCatalogue.js';
export { type SingleTrackResolution, TrackCatalogue } from './catalogue/TrackCatalogue.js';
export { decodeTrack, type EncodableTrackInfo, encodeTrack, TrackDecodeError } from './catalogue/trackCodec.js';
export {
  type LavalinkPlaylistInfo,
  type LavalinkTrack,
  type LavalinkTrackInfo,
  STREAM_LENGTH,
} from './protocol/LavalinkTrack.js';
export type {
  LavalinkException,
  LavalinkLoadResult,
  LavalinkPlaylist,
  LavalinkSeverity,
} from './protocol/LoadResult.js';
export { LAVALINK_FILTERS, type NodeInfo, SANDBOX_LAVALINK_VERSION } from './protocol/NodeInfo.js';
export type {
  LavalinkFiltersJson,
  LavalinkPlayerJson,
  LavalinkPlayerState,
  LavalinkVoiceState,
} from './protocol/PlayerJson.js';
export type {
  LavalinkStats,
  PlayerEventMessage,
  PlayerUpdateMessage,
  ReadyMessage,
  ServerMessage,
  StatsMessage,
  TrackEndEvent,
  TrackEndReason,
  TrackExceptionEvent,
  TrackStartEvent,
  TrackStuckEvent,
  WebSocketClosedEvent,
} from './protocol/ServerMessage.js';
export type { LavalinkErrorBody } from './rest/LavalinkApiError.js';
export type { LavalinkRequestLogEntry } from './rest/LavalinkRestServer.js';
export {
  type KillOptions,
  SandboxLavalink,
  type SandboxLavalinkEvents,
  type SandboxNodeOption,
} from './SandboxLavalink.js';
export {
  DefaultSandboxLavalinkOptions,
  type SandboxLavalinkOptions,
} from './SandboxLavalinkOptions.js';
export type { LavalinkMessageLogEntry, LavalinkSessionInfo, MessageDelivery } from './state/LavalinkSession.js';
export { DefaultNodeLoad, type NodeLoad } from './state/NodeLoad.js';
export type { InjectedTrackFailure, VoiceClose } from './state/SandboxPlayer.js';
export type { SandboxPlayerSnapshot } from './state/SandboxPlayerSnapshot.js';
export type { LavalinkConnectionLogEntry } from './websocket/LavalinkSocketServer.js';
