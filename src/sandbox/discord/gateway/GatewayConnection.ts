import { createDeflate, type Deflate, deflateSync, constants as zlibConstants } from 'node:zlib';
import type { WebSocket } from 'ws';
import type { GatewaySession } from './GatewaySession.js';

/** A gateway payload in either direction: `{ op, d, s, t }`. */
export interface GatewayPayload {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/**
 * One WebSocket connection to the gateway. It encodes payloads as JSON and, when the client asks for it,
 * compresses them: `?compress=zlib-stream` (one zlib context for the whole connection, each payload ending
 * in a Z_SYNC_FLUSH marker) or `compress: true` in IDENTIFY (each payload deflated on its own).
 */
export class GatewayConnection {
  /** The session this connection identified or resumed, null before that. */
  public session: GatewaySession | null = null;
  public identifyCompress = false;
  /** Set once the server decided to close, so late dispatches are buffered instead of sent. */
  public closing = false;
  readonly #deflate: Deflate | null;
  #sendChain: Promise<void> = Promise.resolve();

  public constructor(
    public readonly socket: WebSocket,
    public readonly url: URL,
  ) {
    this.#deflate = url.searchParams.get('compress') === 'zlib-stream' ? createDeflate({ chunkSize: 65_535 }) : null;
  }

  /** Whether the socket can take payloads. */
  public get open(): boolean {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a payload, keeping order even when compression is asynchronous. */
  public send(payload: GatewayPayload): void {
    if (!this.open) return;
    const json = JSON.stringify(payload);
    const deflate = this.#deflate;
    if (deflate) {
      this.#sendChain = this.#sendChain.then(() => this.#sendStream(deflate, json));
    } else if (this.identifyCompress) {
      this.socket.send(deflateSync(json));
    } else {
      this.socket.send(json);
    }
  }

  /** Closes the socket with a gateway close code, after the payloads already queued. */
  public close(code: number, reason = ''): void {
    if (this.closing) return;
    this.closing = true;
    void this.#sendChain.then(() => {
      this.#deflate?.close();
      this.socket.close(code, reason);
    });
  }

  /** Drops the socket without a close frame, like a network failure. */
  public terminate(): void {
    this.closing = true;
    this.#deflate?.close();
    this.socket.terminate();
  }

  #sendStream(deflate: Deflate, json: string): Promise<void> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const collect = (chunk: Buffer): void => {
        chunks.push(chunk);
      };
      deflate.on('data', collect);
      deflate.write(json);
      deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
        deflate.off('data', collect);
        if (this.socket.readyState === this.socket.OPEN) this.socket.send(Buffer.concat(chunks));
        resolve();
      });
    });
  }
}
