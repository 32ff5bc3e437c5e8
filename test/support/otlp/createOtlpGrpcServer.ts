import {
  Server as GrpcServer,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { OtlpCodec } from './loadOtlpCodecs.js';
import { MAX_EXPORT_BYTES, OTLP_SIGNALS, type OtlpSink } from './OtlpSink.js';
import type { OtlpSignal } from './ReceivedTelemetry.js';

/**
 * A gRPC server with the three OTLP collector services (`opentelemetry.proto.collector.{trace,metrics,logs}.v1.
 * {Trace,Metrics,Logs}Service/Export`), feeding `sink`. Not bound yet: see {@link bindGrpcServer}.
 */
export function createOtlpGrpcServer(sink: OtlpSink, codecs: Record<OtlpSignal, OtlpCodec>): GrpcServer {
  const server = new GrpcServer({ 'grpc.max_receive_message_length': MAX_EXPORT_BYTES });
  // Messages stay raw Buffers (grpc-js has already undone `grpc-encoding: gzip`), so gRPC and HTTP share one decoder.
  const identity = (bytes: Buffer): Buffer => bytes;
  for (const signal of OTLP_SIGNALS) {
    const codec = codecs[signal];
    const definition: ServiceDefinition = {
      Export: {
        path: codec.path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    };
    const exportCall = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      const result = sink.ingest({ signal, transport: 'grpc', encoding: 'protobuf' }, call.request);
      if (result.outcome === 'accepted') callback(null, codec.encodeResponse({}));
      else callback({ code: result.status, details: result.message });
    };
    server.addService(definition, { Export: exportCall });
  }
  return server;
}

/** Binds without TLS and resolves with the bound port (useful with port 0). */
export function bindGrpcServer(server: GrpcServer, host: string, port: number): Promise<number> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
}

/** Shuts down gracefully, forcing it after `graceMs` (exporters keep their channels open). */
export function closeGrpcServer(server: GrpcServer, graceMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
