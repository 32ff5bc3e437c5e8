import { STATUS_CODES } from 'node:http';

/** Lavalink's error body (Spring Boot's, in fact). `trace` only when the request had `?trace=true`. */
export interface LavalinkErrorBody {
  readonly timestamp: number;
  readonly status: number;
  readonly error: string;
  readonly trace?: string;
  readonly message: string;
  readonly path: string;
}

/** An error a route throws to answer with Lavalink's error body and status. */
export class LavalinkApiError extends Error {
  public override readonly name = 'LavalinkApiError';

  public constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** The body Lavalink sends for this error. */
  public toBody(path: string, timestamp: number, withTrace: boolean): LavalinkErrorBody {
    return {
      timestamp,
      status: this.status,
      error: STATUS_CODES[this.status] ?? 'Unknown',
      ...(withTrace
        ? { trace: `${this.name}: ${this.message}\n\tat sandbox.lavalink.RestHandler(Sandbox.kt:1)\n` }
        : {}),
      message: this.message,
      path,
    };
  }
}

/** The errors the sandbox answers with, worded like Lavalink's. */
export const LavalinkErrors = {
  unauthorized: () => new LavalinkApiError(401, 'Unauthorized'),
  notFound: () => new LavalinkApiError(404, 'Not Found'),
  methodNotAllowed: () => new LavalinkApiError(405, 'Method Not Allowed'),
  sessionNotFound: () => new LavalinkApiError(404, 'Session not found'),
  playerNotFound: () => new LavalinkApiError(404, 'Player not found'),
  badRequest: (message: string) => new LavalinkApiError(400, message),
  internal: (message: string) => new LavalinkApiError(500, message),
} as const;
