export { isLavalinkOutage } from './isLavalinkOutage.js';
export { LavalinkUnavailableError, type LavalinkUnavailableReason } from './LavalinkUnavailableError.js';
export type { FailoverTrigger, NodeEventName, NodeStatus } from './NodeMonitor.js';
export type { FailoverEvent } from './PlayerFailover.js';
export { type PlayerLostEvent, ShoukakuGateway, type ShoukakuGatewayEvents } from './ShoukakuGateway.js';
export {
  DefaultShoukakuGatewayOptions,
  gatewaySettingsFromConfig,
  type LavalinkNodeSettings,
  type ShoukakuGatewayOptions,
} from './ShoukakuGatewayOptions.js';
export { VoiceStateError } from './voiceState.js';
