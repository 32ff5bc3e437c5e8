/** What replaces a secret wherever one is found. */
export const Redacted = '[redacted]';

/**
 * Last line of defence against leaking secrets: knows the actual secret values (token, passwords, OTLP headers) and
 * replaces them in any text about to leave the process (log lines, health answers, error replies). Structured
 * redaction (pino paths, the `Secret` type) catches the expected places; this catches the unexpected ones, such as a
 * library echoing a connection string in an error message.
 */
export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: Iterable<string | undefined>) {
    // Very short values would redact innocent text; real secrets are long.
    this.#secrets = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 6))];
  }

  /** `text` with every known secret replaced. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(Redacted);
    return out;
  }

  /** Whether any secret is known (a no-op redactor can be skipped on hot paths). */
  get active(): boolean {
    return this.#secrets.length > 0;
  }
}
