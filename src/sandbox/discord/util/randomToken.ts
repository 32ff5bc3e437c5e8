import { randomBytes } from 'node:crypto';

/** A URL-safe random string, shaped like Discord's interaction and voice tokens. */
export function randomToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}

/** A 32-character hex id, shaped like a gateway `session_id`. */
export function randomSessionId(): string {
  return randomBytes(16).toString('hex');
}
