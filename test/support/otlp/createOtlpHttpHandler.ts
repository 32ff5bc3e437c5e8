import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { OtlpCodec } from './loadOtlpCodecs.js';
import { type IngestResult, MAX_EXPORT_BYTES, OTLP_SIGNALS, type OtlpSink } from './OtlpSink.js';
import type { OtlpEncoding, OtlpSignal } from './ReceivedTelemetry.js';

const HTTP_PATHS: ReadonlyMap<string, OtlpSignal> = new Map(OTLP_SIGNALS.map((signal) => [`/v1/${signal}`, signal]));

/**
 * The OTLP/HTTP request handler: `POST /v1/{traces,metrics,logs}` with `application/x-protobuf` or
 * `application/json` bodies, optionally `Content-Encoding: gzip` (or deflate), answered the way a collector does.
 */
export function createOtlpHttpHandler(sink: OtlpSink, codecs: Record<OtlpSignal, OtlpCodec>): RequestListener {
  return (request, response) => {
    handle(sink, codecs, request, response).catch((error: unknown) => {
      // Only a broken connection gets here (everything about the body is answered inside): drop it.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  };
}

async function handle(
  sink: OtlpSink,
  codecs: Record<OtlpSignal, OtlpCodec>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const signal = HTTP_PATHS.get(new URL(request.url ?? '/', 'http://receiver').pathname);
  if (!signal) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not an OTLP path\n');
  if (request.method !== 'POST') return void response.writeHead(405, { allow: 'POST' }).end();
  const contentType = request.headers['content-type'];
  const contentEncoding = request.headers['content-encoding']?.trim().toLowerCase() || 'identity';
  const encoding = mediaEncodingOf(contentType);
  if (!encoding) {
    request.resume();
    const context = { signal, transport: 'http', encoding: 'protobuf', contentEncoding } as const;
    const result = sink.reject(context, `unsupported content-type ${contentType ?? '(none)'}`, 415);
    return void response.writeHead(result.status, { 'content-type': 'text/plain' }).end(`${result.message}\n`);
  }
  const context = { signal, transport: 'http', encoding, contentEncoding } as const;
  let result: IngestResult;
  try {
    result = sink.ingest(context, decompress(await readBody(request), contentEncoding));
  } catch (error) {
    result = sink.reject(context, `cannot read ${signal} body: ${String(error)}`);
  }
  if (encoding === 'json') {
    const accepted = result.outcome === 'accepted';
    const body = accepted ? '{}' : JSON.stringify({ code: result.grpcStatus, message: result.message });
    response.writeHead(result.status, { 'content-type': 'application/json' }).end(body);
  } else {
    // An empty protobuf body is both a valid empty Export*ServiceResponse and a valid (default) google.rpc.Status.
    const body = result.outcome === 'accepted' ? codecs[signal].encodeResponse({}) : Buffer.alloc(0);
    response.writeHead(result.status, { 'content-type': 'application/x-protobuf' }).end(body);
  }
}

function mediaEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_EXPORT_BYTES) throw new RangeError(`body larger than ${MAX_EXPORT_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function decompress(body: Buffer, contentEncoding: string): Buffer {
  if (contentEncoding === 'gzip' || contentEncoding === 'x-gzip') return gunzipSync(body);
  if (contentEncoding === 'deflate') return inflateSync(body);
  if (contentEncoding === 'identity') return body;
  throw new RangeError(`unsupported content-encoding ${contentEncoding}`);
}
