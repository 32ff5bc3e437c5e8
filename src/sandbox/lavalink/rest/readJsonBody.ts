import type { IncomingMessage } from 'node:http';
import { LavalinkErrors } from './LavalinkApiError.js';

/** Reads a JSON request body; undefined when there is none, 400 when it is not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim().length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw LavalinkErrors.badRequest('Failed to read request: the body is not valid JSON');
  }
}
