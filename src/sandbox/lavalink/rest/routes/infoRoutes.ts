import { SANDBOX_LAVALINK_VERSION } from '../../protocol/NodeInfo.js';
import type { LavalinkRoute } from '../Router.js';
import type { RouteContext } from './RouteContext.js';

/** `/v4/info`, `/v4/stats`, `/version` and the (disabled) route planner. */
export function infoRoutes(context: RouteContext): LavalinkRoute[] {
  return [
    { method: 'GET', pattern: '/v4/info', handle: () => ({ status: 200, body: context.info }) },
    // Lavalink never includes frame stats here.
    { method: 'GET', pattern: '/v4/stats', handle: () => ({ status: 200, body: context.state.stats() }) },
    { method: 'GET', pattern: '/version', handle: () => ({ status: 200, text: SANDBOX_LAVALINK_VERSION }) },
    // No IP rotation is configured, which Lavalink answers with 204.
    { method: 'GET', pattern: '/v4/routeplanner/status', handle: () => ({ status: 204 }) },
  ];
}
