import { status as GrpcStatus } from '@grpc/grpc-js';

// The pairs follow the OTLP specification's failure table and the usual gRPC <-> HTTP mapping, so that the same
// `failWith` setting means the same thing to a gRPC exporter and to an HTTP one (e.g. UNAVAILABLE <-> 503, both
// retryable).
const GRPC_TO_HTTP: ReadonlyMap<number, number> = new Map([
  [GrpcStatus.CANCELLED, 499],
  [GrpcStatus.INVALID_ARGUMENT, 400],
  [GrpcStatus.DEADLINE_EXCEEDED, 504],
  [GrpcStatus.NOT_FOUND, 404],
  [GrpcStatus.PERMISSION_DENIED, 403],
  [GrpcStatus.RESOURCE_EXHAUSTED, 429],
  [GrpcStatus.UNIMPLEMENTED, 501],
  [GrpcStatus.UNAVAILABLE, 503],
  [GrpcStatus.UNAUTHENTICATED, 401],
]);

const HTTP_TO_GRPC: ReadonlyMap<number, number> = new Map([
  [400, GrpcStatus.INVALID_ARGUMENT],
  [401, GrpcStatus.UNAUTHENTICATED],
  [403, GrpcStatus.PERMISSION_DENIED],
  [404, GrpcStatus.UNIMPLEMENTED],
  [429, GrpcStatus.RESOURCE_EXHAUSTED],
  [499, GrpcStatus.CANCELLED],
  [501, GrpcStatus.UNIMPLEMENTED],
  [502, GrpcStatus.UNAVAILABLE],
  [503, GrpcStatus.UNAVAILABLE],
  [504, GrpcStatus.UNAVAILABLE],
]);

/** gRPC status codes are 0-16; anything from 100 up is an HTTP status. */
function isHttpStatus(code: number): boolean {
  return code >= 100;
}

/** The gRPC status to answer for a failure given as either a gRPC status code or an HTTP status. */
export function toGrpcStatus(code: number): number {
  if (!isHttpStatus(code)) return code;
  return HTTP_TO_GRPC.get(code) ?? (code >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.UNKNOWN);
}

/** The HTTP status to answer for a failure given as either a gRPC status code or an HTTP status. */
export function toHttpStatus(code: number): number {
  if (isHttpStatus(code)) return code;
  return GRPC_TO_HTTP.get(code) ?? 500;
}

/** Rejects codes that are neither a failing gRPC status (1-16) nor an HTTP error status (400-599). */
export function assertFailureStatus(code: number): void {
  const grpcFailure = Number.isInteger(code) && code >= 1 && code <= 16;
  const httpFailure = Number.isInteger(code) && code >= 400 && code <= 599;
  if (!grpcFailure && !httpFailure) {
    throw new RangeError(`failWith expects a failing gRPC status (1-16) or HTTP status (400-599), got ${code}`);
  }
}
