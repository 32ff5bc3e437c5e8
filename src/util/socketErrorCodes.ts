/**
 * Node's errno codes for a connection that could not be made or broke on the way: the peer refused or reset it, the
 * pipe closed, the connect timed out, or the network had no route. Each caller adds the codes of its own driver.
 */
export const BrokenConnectionCodes: readonly string[] = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
];
