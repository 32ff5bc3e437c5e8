import { HealthServer, type HealthServerOptions } from '../../src/health/HealthServer.js';

/** A listening health server on an ephemeral port, and the base URL to reach it. */
export interface RunningHealthServer {
  readonly server: HealthServer;
  readonly baseUrl: string;
}

/** Starts a {@link HealthServer} on 127.0.0.1:0 with no checks unless given. Close it in an `after` hook. */
export async function startHealthServer(options: Partial<HealthServerOptions> = {}): Promise<RunningHealthServer> {
  const server = new HealthServer({ host: '127.0.0.1', port: 0, liveness: [], readiness: [], ...options });
  const { port } = await server.listen();
  return { server, baseUrl: `http://127.0.0.1:${port}` };
}

/** Blocks the event loop for `ms`, as a runaway synchronous task would. */
export function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
