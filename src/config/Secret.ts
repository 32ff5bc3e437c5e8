import { inspect } from 'node:util';

const Redacted = '[redacted]';

/**
 * A configuration value that must never be written anywhere: the Discord token, the database URL (it carries the
 * password), the OTLP headers (they carry vendor API keys).
 *
 * The value lives in a private field, so logging, `JSON.stringify`, `util.inspect`, string interpolation and object
 * spreading all see `[redacted]` or nothing. The one way to read it is {@link Secret.reveal}, which makes every use
 * easy to find in a review.
 */
export class Secret {
  readonly #value: string;

  /** @param value the secret text, exactly as it should be handed to the library that needs it */
  constructor(value: string) {
    this.#value = value;
  }

  /** The secret text. Pass it straight to the library that needs it; never log it or put it in an error. */
  reveal(): string {
    return this.#value;
  }

  /** Always `[redacted]`, so template strings and string concatenation cannot leak the value. */
  toString(): typeof Redacted {
    return Redacted;
  }

  /** Always `[redacted]`, so JSON log lines and `/healthz` cannot leak the value. */
  toJSON(): typeof Redacted {
    return Redacted;
  }

  /** What `console.log` and pino's pretty printer show. */
  [inspect.custom](): string {
    return `Secret(${Redacted})`;
  }
}
