export { DefaultEventLoopMonitorOptions, EventLoopMonitor, type EventLoopMonitorOptions } from './EventLoopMonitor.js';
export type { CheckOutcome, CheckResult, HealthCheck } from './HealthCheck.js';
export {
  DefaultHealthServerOptions,
  HealthServer,
  type HealthServerOptions,
  ShutdownCheckName,
} from './HealthServer.js';
export { type HeartbeatSource, heartbeatCheck } from './HeartbeatWatch.js';
