// The request codes a client may send instead of a StartupMessage; the server answers with one byte and the client
// then sends its StartupMessage, still without a type byte.
const SslRequestCode = 80877103;
const GssEncRequestCode = 80877104;
const QueryType = 'Q'.charCodeAt(0);
const ParseType = 'P'.charCodeAt(0);

/**
 * Reads the client-to-server half of one PostgreSQL connection (frontend protocol v3) from the chunks TCP delivers,
 * and reports the text of every query the server is asked to run: a simple query (`Q`: the text) or the statement of
 * an extended-protocol Parse (`P`: statement name, then the text). Messages split across chunks are buffered until
 * complete. It only reads: the caller forwards the bytes unchanged. An encrypted (SSL) stream cannot be read.
 */
export class PgFrontendReader {
  #pending: Buffer = Buffer.alloc(0);
  #startupDone = false;

  constructor(private readonly onQuery: (text: string) => void) {}

  /** Takes the next bytes the client sent. */
  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    for (;;) {
      // Before start-up messages are untyped: int32 length (itself included), then the payload. After: a type byte,
      // then the same.
      const headerSize = this.#startupDone ? 5 : 4;
      if (this.#pending.length < headerSize) return;
      const size = this.#pending.readInt32BE(headerSize - 4) + headerSize - 4;
      if (this.#pending.length < size) return;
      const message = this.#pending.subarray(0, size);
      this.#pending = this.#pending.subarray(size);
      if (this.#startupDone) this.#read(message);
      else this.#startupDone = !isEncryptionRequest(message);
    }
  }

  #read(message: Buffer): void {
    const payload = message.subarray(5);
    if (message[0] === QueryType) this.onQuery(cString(payload, 0).text);
    else if (message[0] === ParseType) this.onQuery(cString(payload, cString(payload, 0).end + 1).text);
  }
}

function isEncryptionRequest(message: Buffer): boolean {
  if (message.length !== 8) return false;
  const code = message.readInt32BE(4);
  return code === SslRequestCode || code === GssEncRequestCode;
}

/** The NUL-terminated UTF-8 string at `start`, and the index of its NUL. */
function cString(payload: Buffer, start: number): { text: string; end: number } {
  const end = payload.indexOf(0, start);
  const stop = end === -1 ? payload.length : end;
  return { text: payload.toString('utf8', start, stop), end: stop };
}
