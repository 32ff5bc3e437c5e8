import { BrokenConnectionCodes } from '../util/socketErrorCodes.js';
import { LavalinkUnavailableError } from './LavalinkUnavailableError.js';

/** Error codes of a connection that failed or broke (the node is down or going away, it did not answer), and undici's. */
const TransportCodes = new Set([
  ...BrokenConnectionCodes,
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Whether `error` says Lavalink was unreachable rather than that it refused: no usable node, the player lost with its
 * node, the gateway closing, or a REST call whose connection failed, broke or timed out (shoukaku aborts a call
 * after its `restTimeout`). A node's own answer (shoukaku's `RestError`, e.g. a track that does not decode) and
 * every other error are refusals: trying again on another node would meet the same answer.
 */
export function isLavalinkOutage(error: unknown): boolean {
  if (error instanceof LavalinkUnavailableError) return error.reason !== 'disabled';
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause.name === 'RestError') return false;
    if (cause.name === 'AbortError' || cause.name === 'TimeoutError') return true;
    if (cause instanceof TypeError && cause.message === 'fetch failed') return true;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && TransportCodes.has(code)) return true;
  }
  return false;
}
