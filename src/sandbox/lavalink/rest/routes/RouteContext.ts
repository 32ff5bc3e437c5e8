import type { TrackCatalogue } from '../../catalogue/TrackCatalogue.js';
import type { NodeInfo } from '../../protocol/NodeInfo.js';
import type { NodeState } from '../../state/NodeState.js';

/** What REST route handlers read besides the request. */
export interface RouteContext {
  readonly state: NodeState;
  readonly catalogue: TrackCatalogue;
  /** The `GET /v4/info` answer. */
  readonly info: NodeInfo;
  /** Latency of `GET /v4/loadtracks`, on top of any `slow()` latency. */
  loadLatencyMs(): number;
}
