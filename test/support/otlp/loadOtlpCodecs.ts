import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSync, type MessageTypeDefinition, type ServiceDefinition } from '@grpc/proto-loader';
import type { OtlpSignal } from './ReceivedTelemetry.js';

/** Encodes and decodes the OTLP export messages of one signal. */
export interface OtlpCodec {
  /** gRPC method path, e.g. `/opentelemetry.proto.collector.trace.v1.TraceService/Export`. */
  path: string;
  /** Decodes a protobuf `Export<Signal>ServiceRequest` into the lowerCamelCase wire shape (see `OtlpWire.ts`). */
  decodeRequest(bytes: Buffer): unknown;
  /** Encodes an (empty) `Export<Signal>ServiceResponse`. */
  encodeResponse(response: object): Buffer;
}

const SERVICES: Record<OtlpSignal, { file: string; pkg: string; service: string; request: string; response: string }> =
  {
    traces: serviceOf('trace', 'Trace'),
    metrics: serviceOf('metrics', 'Metrics'),
    logs: serviceOf('logs', 'Logs'),
  };

function serviceOf(folder: string, name: string) {
  const pkg = `opentelemetry.proto.collector.${folder}.v1`;
  const file = `opentelemetry/proto/collector/${folder}/v1/${folder}_service.proto`;
  return {
    file,
    pkg,
    service: `${pkg}.${name}Service`,
    request: `${pkg}.Export${name}ServiceRequest`,
    response: `${pkg}.Export${name}ServiceResponse`,
  };
}

/**
 * The repository root: the nearest folder above this module that holds `package.json`. Works from the TypeScript
 * source and from any build output folder (`dist/`, `dist-otlp/`), because the protos are read from the source tree.
 */
export function findRepoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}: cannot locate the vendored OTLP protos`);
    dir = parent;
  }
  return dir;
}

/** Folder holding the vendored opentelemetry-proto files (`opentelemetry/proto/...`). */
export function otlpProtoRoot(): string {
  return join(findRepoRoot(), 'test', 'support', 'otlp', 'proto');
}

/**
 * Loads the vendored OTLP collector service protos at run time and returns a codec per signal. Decoding keeps
 * 64-bit integers as decimal strings, bytes as `Buffer`s and enums as numbers, and leaves unset fields out.
 */
export function loadOtlpCodecs(protoRoot: string = otlpProtoRoot()): Record<OtlpSignal, OtlpCodec> {
  const definitions = loadSync(
    Object.values(SERVICES).map((s) => s.file),
    { includeDirs: [protoRoot], keepCase: false, longs: String, enums: Number, defaults: false, arrays: true },
  );
  const codec = (signal: OtlpSignal): OtlpCodec => {
    const names = SERVICES[signal];
    const service = definitions[names.service] as ServiceDefinition | undefined;
    const request = definitions[names.request] as MessageTypeDefinition<object, object> | undefined;
    const response = definitions[names.response] as MessageTypeDefinition<object, object> | undefined;
    const exportMethod = service?.Export;
    if (!exportMethod || !request || !response) throw new Error(`OTLP protos in ${protoRoot} lack ${names.service}`);
    return {
      path: exportMethod.path,
      decodeRequest: (bytes) => request.deserialize(bytes),
      encodeResponse: (message) => response.serialize(message),
    };
  };
  return { traces: codec('traces'), metrics: codec('metrics'), logs: codec('logs') };
}
