import type { IncomingMessage } from 'node:http';
import type { UploadedFile } from '../state/MessageBody.js';
import { DiscordApiError } from './DiscordApiError.js';

/** A parsed request body: JSON, or multipart with `payload_json` and `files[n]` parts. */
export interface ParsedBody {
  readonly body: unknown;
  readonly files: UploadedFile[];
}

/** Reads and parses a request body the way Discord accepts them (JSON or multipart/form-data). */
export async function readRequestBody(request: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw new DiscordApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  // The WHATWG Request parser handles multipart so the sandbox needs no parser of its own.
  const form = await new Request('http://sandbox.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  const files: UploadedFile[] = [];
  let body: unknown;
  for (const [field, value] of form.entries()) {
    if (field === 'payload_json' && typeof value === 'string') {
      body = JSON.parse(value);
    } else if (typeof value !== 'string') {
      files.push({
        field,
        filename: value.name,
        contentType: value.type || 'application/octet-stream',
        size: value.size,
      });
    }
  }
  return { body, files };
}
