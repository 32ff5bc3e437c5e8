import { UserError } from '../errors/UserError.js';

const Clock = /^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$/;
const Seconds = /^\d{1,6}(?:\.\d{1,3})?$/;

/**
 * Parses a position typed into `/seek`: `m:ss` (`1:23`), `h:mm:ss` (`1:02:03`) or plain seconds (`83`, `83.5`),
 * into milliseconds. Seconds (and minutes in `h:mm:ss`) must be below 60; in `m:ss` any number of minutes is fine
 * (`90:00`).
 *
 * @throws {UserError} `seek.invalid_position` for anything else.
 */
export function parsePosition(text: string): number {
  const input = text.trim();
  if (Seconds.test(input)) return Math.round(Number(input) * 1000);
  const match = Clock.exec(input);
  if (!match) throw new UserError('seek.invalid_position');
  const [, first = '0', second = '0', third] = match;
  if (third === undefined) return (Number(first) * 60 + Number(second)) * 1000;
  return (Number(first) * 3600 + Number(second) * 60 + Number(third)) * 1000;
}
