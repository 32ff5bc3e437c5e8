import type { APIGatewaySessionStartLimit } from 'discord-api-types/v10';
import type { SandboxState } from '../../state/SandboxState.js';

/** What REST route handlers read besides the request. */
export interface RestContext {
  readonly state: SandboxState;
  /** The gateway URL handed out by `GET /gateway/bot`. */
  gatewayUrl(): string;
  /** The recommended shard count. */
  readonly shardCount: number;
  /** The identify budget, which the gateway spends on every IDENTIFY. */
  sessionStartLimit(): APIGatewaySessionStartLimit;
}
